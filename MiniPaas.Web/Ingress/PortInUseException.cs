namespace MiniPaas.Web.Ingress;

/// <summary>
/// A port MiniPaas must listen on cannot be bound. <see cref="Exception.Message"/> is one line meant for the console
/// (what is wrong and how to fix it), so <c>Program</c> prints it and exits non-zero instead of showing a stack trace.
/// </summary>
public sealed class PortInUseException : Exception
{
    public PortInUseException()
    {
    }

    public PortInUseException(string message)
        : base(message)
    {
    }

    public PortInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The port that could not be bound.</summary>
    public int Port { get; init; }
}
