namespace MiniPaas.Web.Auth;

/// <summary>
/// Dispatched into a circuit whose session ended, so that Blazor terminates and disposes the circuit server-side (an
/// unhandled circuit exception does exactly that). Logged once by Blazor as an unhandled circuit error: expected after a
/// sign-out or revocation while a dashboard tab was open.
/// </summary>
public sealed class SessionEndedException : Exception
{
    public SessionEndedException()
        : base("The dashboard session ended (signed out, owner reset or user revoked); its circuit is closed.")
    {
    }

    public SessionEndedException(string message)
        : base(message)
    {
    }

    public SessionEndedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
