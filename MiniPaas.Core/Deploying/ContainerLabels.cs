namespace MiniPaas.Core.Deploying;

/// <summary>Labels MiniPaas puts on everything it creates, so the reconciler can find it again.</summary>
public static class ContainerLabels
{
    public const string Project = "minipaas.project";
    public const string Deployment = "minipaas.deployment";
    public const string Subdomain = "minipaas.subdomain";
    public const string Managed = "minipaas.managed";
}
