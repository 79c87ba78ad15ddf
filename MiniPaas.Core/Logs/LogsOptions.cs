namespace MiniPaas.Core.Logs;

/// <summary>Runtime log capture settings (<c>MiniPaas:Logs</c>).</summary>
public sealed class LogsOptions
{
    public const string SectionName = "MiniPaas:Logs";

    /// <summary>Lines per second one project may store before further lines are dropped (and counted). Default: 2,000.</summary>
    public int RateLimitLinesPerSecond { get; set; } = 2_000;

    /// <summary>Lines a project may write in one burst above the steady rate. Default: 20,000.</summary>
    public int RateLimitBurst { get; set; } = 20_000;

    /// <summary>Longest line kept, in characters; longer lines are cut and marked. Default: 16,384 (16 KB).</summary>
    public int MaxLineLength { get; set; } = 16 * 1024;

    /// <summary>How often the attacher compares the containers it follows with the engine's running ones. Default: 3 s.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Longest wait between reconnect attempts to a container's log stream. Default: 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most time lines wait before they are written to the database together. Default: 100 ms.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Lines buffered for the database before the oldest are dropped (counted). Default: 200,000.</summary>
    public int BufferCapacity { get; set; } = 200_000;
}

/// <summary>How long runtime logs are kept (<c>MiniPaas:Retention</c>, keys prefixed <c>Log</c>).</summary>
public sealed class LogRetentionOptions
{
    public const string SectionName = "MiniPaas:Retention";

    /// <summary>Runtime log lines older than this are deleted. Default: 14 days.</summary>
    public TimeSpan LogMaxAge { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Most runtime log lines kept per project; the oldest go first. Default: 1,000,000.</summary>
    public long LogMaxLinesPerProject { get; set; } = 1_000_000;

    /// <summary>How often retention runs. Default: 10 minutes.</summary>
    public TimeSpan LogSweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rows deleted per statement, so a sweep never holds long locks or bloats one transaction. Default: 10,000.</summary>
    public int LogDeleteBatchSize { get; set; } = 10_000;
}
