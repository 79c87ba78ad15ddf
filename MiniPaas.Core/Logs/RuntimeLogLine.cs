using MiniPaas.Core.Events;

namespace MiniPaas.Core.Logs;

/// <summary>
/// One line a deployment's container wrote, already masked and cut. <see cref="Text"/> keeps ANSI colour codes for display;
/// search uses <see cref="Ansi.Strip"/>. <see cref="Stream"/> is <c>stdout</c>, <c>stderr</c> or <c>minipaas</c> (notices such as dropped lines).
/// </summary>
public sealed record RuntimeLogLine(
    long Seq,
    long ProjectId,
    long DeploymentId,
    DateTimeOffset Timestamp,
    string Stream,
    string? Level,
    string Text) : ISequenced
{
    public const string StdoutStream = "stdout";
    public const string StderrStream = "stderr";

    /// <summary>Lines MiniPaas adds itself (e.g. "1,234 lines dropped"); never part of a container's resume position.</summary>
    public const string NoticeStream = "minipaas";
}

/// <summary>Live runtime log lines, topic = deployment id.</summary>
public sealed class RuntimeLogFeed() : EventFeed<long, RuntimeLogLine>(subscriberCapacity: 50_000, maxBatchSize: 5_000);
