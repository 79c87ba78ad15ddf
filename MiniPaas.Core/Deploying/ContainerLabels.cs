namespace MiniPaas.Core.Deploying;

/// <summary>Labels MiniPaas puts on everything it creates, so the reconciler can find it again.</summary>
public static class ContainerLabels
{
    public const string Project = "minipaas.project";
    public const string Deployment = "minipaas.deployment";
    public const string Subdomain = "minipaas.subdomain";
    public const string Managed = "minipaas.managed";

    /// <summary>The installation that owns it (see <c>Installation</c>); other installations sharing the engine leave it alone.</summary>
    public const string Instance = "minipaas.instance";

    /// <summary>True when <paramref name="labels"/> mark something created by installation <paramref name="instanceId"/>.</summary>
    public static bool BelongsTo(IReadOnlyDictionary<string, string> labels, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.TryGetValue(Instance, out var value) && string.Equals(value, instanceId, StringComparison.Ordinal);
    }
}
