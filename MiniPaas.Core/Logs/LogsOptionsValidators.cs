using Microsoft.Extensions.Options;

namespace MiniPaas.Core.Logs;

/// <summary>Checks <see cref="LogsOptions"/> and reports every problem at once.</summary>
public sealed class LogsOptionsValidator : IValidateOptions<LogsOptions>
{
    public ValidateOptionsResult Validate(string? name, LogsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.RateLimitLinesPerSecond < 1)
        {
            errors.Add("MiniPaas:Logs:RateLimitLinesPerSecond must be at least 1.");
        }

        if (options.RateLimitBurst < 1)
        {
            errors.Add("MiniPaas:Logs:RateLimitBurst must be at least 1.");
        }

        if (options.MaxLineLength < 256)
        {
            errors.Add("MiniPaas:Logs:MaxLineLength must be at least 256.");
        }

        if (options.BufferCapacity < 1_000)
        {
            errors.Add("MiniPaas:Logs:BufferCapacity must be at least 1,000.");
        }

        RequirePositive(errors, "MiniPaas:Logs:ResyncInterval", options.ResyncInterval);
        RequirePositive(errors, "MiniPaas:Logs:ReconnectMaxDelay", options.ReconnectMaxDelay);
        RequirePositive(errors, "MiniPaas:Logs:FlushInterval", options.FlushInterval);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static void RequirePositive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be positive.");
        }
    }
}

/// <summary>Checks <see cref="LogRetentionOptions"/> and reports every problem at once.</summary>
public sealed class LogRetentionOptionsValidator : IValidateOptions<LogRetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, LogRetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        LogsOptionsValidator.RequirePositive(errors, "MiniPaas:Retention:LogMaxAge", options.LogMaxAge);
        LogsOptionsValidator.RequirePositive(errors, "MiniPaas:Retention:LogSweepInterval", options.LogSweepInterval);
        if (options.LogMaxLinesPerProject < 1_000)
        {
            errors.Add("MiniPaas:Retention:LogMaxLinesPerProject must be at least 1,000.");
        }

        if (options.LogDeleteBatchSize < 100)
        {
            errors.Add("MiniPaas:Retention:LogDeleteBatchSize must be at least 100.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
