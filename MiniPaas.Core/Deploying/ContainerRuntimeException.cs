namespace MiniPaas.Core.Deploying;

/// <summary>A container runtime operation failed; the message is readable as-is in the dashboard (no engine types leak).</summary>
public sealed class ContainerRuntimeException : Exception
{
    public ContainerRuntimeException()
    {
    }

    public ContainerRuntimeException(string message)
        : base(message)
    {
    }

    public ContainerRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when the image the container needs is not present locally (MiniPaas never pulls).</summary>
    public bool IsImageMissing { get; init; }
}
