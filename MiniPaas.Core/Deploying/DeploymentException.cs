namespace MiniPaas.Core.Deploying;

/// <summary>A deployment step failed for a reason the user can act on; the message is shown as the failure reason.</summary>
public sealed class DeploymentException(string message) : Exception(message);
