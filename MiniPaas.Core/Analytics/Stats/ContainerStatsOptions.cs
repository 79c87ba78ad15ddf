using Microsoft.Extensions.Options;

namespace MiniPaas.Core.Analytics.Stats;

/// <summary>Settings of the container stats sampler (<c>MiniPaas:Analytics:Stats</c>).</summary>
public sealed class ContainerStatsOptions
{
    public const string SectionName = "MiniPaas:Analytics:Stats";

    /// <summary>Whether running containers are sampled at all. Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two samples of each running container. Default: 10 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long samples are kept before the retention pass deletes them. Default: 30 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the retention pass runs. Default: 1 hour.</summary>
    public TimeSpan RetentionCheckInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Checks <see cref="ContainerStatsOptions"/>: interval between 1 s and 1 h, retention at least one interval.</summary>
public sealed class ContainerStatsOptionsValidator : IValidateOptions<ContainerStatsOptions>
{
    public ValidateOptionsResult Validate(string? name, ContainerStatsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Interval < TimeSpan.FromSeconds(1) || options.Interval > TimeSpan.FromHours(1))
        {
            errors.Add($"{ContainerStatsOptions.SectionName}:Interval {options.Interval} must be between 00:00:01 and 01:00:00.");
        }

        if (options.Retention < options.Interval)
        {
            errors.Add($"{ContainerStatsOptions.SectionName}:Retention {options.Retention} must be at least the sampling interval.");
        }

        if (options.RetentionCheckInterval <= TimeSpan.Zero)
        {
            errors.Add($"{ContainerStatsOptions.SectionName}:RetentionCheckInterval must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
