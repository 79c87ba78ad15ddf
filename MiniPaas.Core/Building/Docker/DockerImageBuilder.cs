using System.Globalization;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Checkouts;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Core.Building.Docker;

/// <summary>Builds images with the Docker engine's build API from a tar of the context folder.</summary>
internal sealed partial class DockerImageBuilder(
    IBuildEngineClient engine,
    IOptions<BuilderOptions> options,
    TimeProvider timeProvider,
    ILogger<DockerImageBuilder> logger) : IImageBuilder
{
    private const long CpuPeriod = 100_000;

    public Task<ImageBuildResult> BuildAsync(
        string contextDirectory,
        string dockerfilePath,
        string imageTag,
        IReadOnlyDictionary<string, string> labels,
        IProgress<BuildOutputLine> output,
        CancellationToken ct = default) =>
        BuildAsync(contextDirectory, dockerfilePath, imageTag, labels, [], output, ct);

    public Task<ImageBuildResult> BuildAsync(
        string contextDirectory,
        string dockerfilePath,
        string imageTag,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyList<BuildContextFile> extraFiles,
        IProgress<BuildOutputLine> output,
        CancellationToken ct = default) =>
        BuildAsync(contextDirectory, dockerfilePath, imageTag, labels, extraFiles, new Dictionary<string, string>(), output, ct);

    public async Task<ImageBuildResult> BuildAsync(
        string contextDirectory,
        string dockerfilePath,
        string imageTag,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyList<BuildContextFile> extraFiles,
        IReadOnlyDictionary<string, string> buildArguments,
        IProgress<BuildOutputLine> output,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(contextDirectory);
        ArgumentException.ThrowIfNullOrEmpty(dockerfilePath);
        ArgumentException.ThrowIfNullOrEmpty(imageTag);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(extraFiles);
        ArgumentNullException.ThrowIfNull(buildArguments);
        ArgumentNullException.ThrowIfNull(output);

        var dockerfile = dockerfilePath.Replace('\\', '/').TrimStart('/');
        if (!File.Exists(Path.Combine(contextDirectory, dockerfile)) && !extraFiles.Any(f => f.Path.Replace('\\', '/').TrimStart('/') == dockerfile))
        {
            return Fail(imageTag, output, $"Dockerfile '{dockerfile}' was not found in the build context.");
        }

        var settings = options.Value;
        using var timeout = new CancellationTokenSource(settings.BuildTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var lines = new BuildOutputReader(output);
        try
        {
            // The context goes to a temporary file rather than memory: a repository may be large.
            var tarPath = Path.Combine(Path.GetTempPath(), $"minipaas-context-{Guid.NewGuid():N}.tar");
            var tar = new FileStream(tarPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await using (tar.ConfigureAwait(false))
            {
                await BuildContextArchive.WriteAsync(tar, new CheckoutFiles(contextDirectory, settings.MaxCheckoutFileBytes), dockerfile, extraFiles, linked.Token).ConfigureAwait(false);
                tar.Position = 0;
                LogBuildStarting(logger, imageTag, tar.Length);

                var parameters = new ImageBuildParameters
                {
                    Dockerfile = dockerfile,
                    Tags = [imageTag],
                    Labels = labels.ToDictionary(),
                    // Sent as JSON in the API request, never through a shell; the engine hands each value only to a matching ARG.
                    BuildArgs = buildArguments.Count > 0 ? buildArguments.ToDictionary() : null,
                    NetworkMode = string.IsNullOrWhiteSpace(settings.NetworkMode) ? null : settings.NetworkMode,
                    CPUPeriod = settings.BuildCpus > 0 ? CpuPeriod : null,
                    CPUQuota = settings.BuildCpus > 0 ? (long)Math.Round(settings.BuildCpus * CpuPeriod) : null,
                    Memory = settings.BuildMemoryMiB > 0 ? settings.BuildMemoryMiB * 1024 * 1024 : null,
                    Remove = true,
                    ForceRemove = true,
                    // Never pull: no registry may be reachable, and a missing base image should fail fast with a clear message.
                    Pull = null,
                };

                await engine.Client.Images.BuildImageFromDockerfileAsync(
                    parameters, tar, null, new Dictionary<string, string>(), new SynchronousProgress<JSONMessage>(lines.Add), linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            lines.Flush();
            return Fail(imageTag, output, $"Build timed out after {Describe(settings.BuildTimeout)}.");
        }
        catch (DockerApiException e)
        {
            lines.Flush();
            return Fail(imageTag, output, $"The Docker engine refused the build: {e.ResponseBody?.Trim() ?? e.Message}");
        }

        lines.Flush();
        if (lines.Error is not null)
        {
            LogBuildFailed(logger, imageTag);
            return new ImageBuildResult(false, imageTag, lines.DescribeFailure());
        }

        LogBuildSucceeded(logger, imageTag);
        return new ImageBuildResult(true, imageTag, null);
    }

    private ImageBuildResult Fail(string imageTag, IProgress<BuildOutputLine> output, string reason)
    {
        output.Report(new BuildOutputLine(reason, IsError: true));
        LogBuildFailed(logger, imageTag);
        return new ImageBuildResult(false, imageTag, reason);
    }

    private static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");

    [LoggerMessage(Level = LogLevel.Information, Message = "Building image {ImageTag} from a {ContextBytes}-byte context")]
    private static partial void LogBuildStarting(ILogger logger, string imageTag, long contextBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Built image {ImageTag}")]
    private static partial void LogBuildSucceeded(ILogger logger, string imageTag);

    // Without the reason: it quotes the build's output, which may print secrets, and only the deployment pipeline knows the
    // project's secrets to mask them (it logs the masked reason itself).
    [LoggerMessage(Level = LogLevel.Warning, Message = "Build of {ImageTag} failed")]
    private static partial void LogBuildFailed(ILogger logger, string imageTag);

    /// <summary>Turns the engine's JSON messages into ordered lines and remembers what a failure explanation needs.</summary>
    private sealed class BuildOutputReader(IProgress<BuildOutputLine> output)
    {
        private readonly StringBuilder _pending = new();
        private string? _lastStep;
        private string? _lastOutput;

        public string? Error { get; private set; }

        public void Add(JSONMessage message)
        {
            if (!string.IsNullOrEmpty(message.Stream))
            {
                // Stream chunks are not line aligned: keep the tail until its newline arrives.
                _pending.Append(message.Stream);
                var text = _pending.ToString();
                var end = text.LastIndexOf('\n');
                if (end >= 0)
                {
                    _pending.Clear().Append(text, end + 1, text.Length - end - 1);
                    foreach (var line in text[..end].Split('\n'))
                    {
                        Emit(line.TrimEnd('\r'), isError: false);
                    }
                }
            }
            else if (!string.IsNullOrEmpty(message.Status))
            {
                // Pull progress of a missing base image; the per-layer progress bars are noise in a log.
                Emit(string.IsNullOrEmpty(message.ID) ? message.Status : $"{message.ID}: {message.Status}", isError: false);
            }

            var error = message.Error?.Message ?? message.ErrorMessage;
            if (!string.IsNullOrWhiteSpace(error))
            {
                Flush();
                Error ??= error.Trim();
                Emit(error.Trim(), isError: true);
            }
        }

        public void Flush()
        {
            if (_pending.Length > 0)
            {
                var rest = _pending.ToString().TrimEnd('\r');
                _pending.Clear();
                Emit(rest, isError: false);
            }
        }

        public string DescribeFailure()
        {
            var failure = Error ?? "The build failed.";
            var builder = new StringBuilder();
            if (_lastStep is not null)
            {
                // "Step 3/6 : RUN npm ci" → "Step 3/6 `RUN npm ci` failed: …"
                var separator = _lastStep.IndexOf(" : ", StringComparison.Ordinal);
                builder.Append(separator > 0
                    ? $"{_lastStep[..separator]} `{_lastStep[(separator + 3)..].Trim()}` failed: "
                    : $"{_lastStep} failed: ");
            }

            builder.Append(failure);
            if (_lastOutput is not null && !failure.Contains(_lastOutput, StringComparison.Ordinal))
            {
                builder.Append(" Last output: ").Append(_lastOutput);
            }

            return builder.ToString();
        }

        private void Emit(string line, bool isError)
        {
            output.Report(new BuildOutputLine(line, isError));
            if (isError)
            {
                return;
            }

            var trimmed = line.Trim();
            if (trimmed.StartsWith("Step ", StringComparison.Ordinal) && trimmed.Contains(" : ", StringComparison.Ordinal))
            {
                _lastStep = trimmed;
                _lastOutput = null;
            }
            else if (trimmed.Length > 0
                && !trimmed.StartsWith("--->", StringComparison.Ordinal)
                && !trimmed.StartsWith("Removing intermediate container", StringComparison.Ordinal)
                && !trimmed.StartsWith("Sending build context", StringComparison.Ordinal))
            {
                _lastOutput = trimmed;
            }
        }
    }
}
