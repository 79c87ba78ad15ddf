using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MiniPaas.Web.Auth;

/// <summary>
/// One per circuit: registers the circuit under its session, and closes it when the session ends (sign-out elsewhere,
/// a reset owner, a GitHub user removed from the allow list). Closing makes the circuit anonymous — the router then
/// shows no page and sends the browser to sign-in, whose unload ends the circuit — and from then on the server drops
/// every event the browser sends on it, so a client that ignores the redirect can do nothing more.
/// </summary>
public sealed class SessionCircuitHandler(AuthenticationStateProvider authentication, DashboardSessions sessions) : CircuitHandler, IDisposable
{
    private static readonly AuthenticationState Anonymous = new(new ClaimsPrincipal(new ClaimsIdentity()));
    private string? _session;
    private volatile bool _closed;

    /// <summary>True once the session ended: inbound events are dropped.</summary>
    public bool IsClosed => _closed;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        authentication.AuthenticationStateChanged += OnAuthenticationStateChanged;
        var state = await authentication.GetAuthenticationStateAsync().ConfigureAwait(false);
        _session = OwnerClaims.SessionOf(state.User);
        if (state.User.Identity?.IsAuthenticated != true || sessions.IsSignedOut(_session))
        {
            Close();
            return;
        }

        // A cookie from before sessions had ids still passes the cookie checks; it is only not reachable by sign-out.
        if (_session is not null)
        {
            sessions.Add(_session, this);
        }
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (_session is not null)
        {
            sessions.Remove(_session, this);
        }

        return Task.CompletedTask;
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context => _closed ? Task.CompletedTask : next(context);

    /// <summary>Ends the circuit's session (idempotent); safe from any thread.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        if (authentication is IHostEnvironmentAuthenticationStateProvider host)
        {
            // Raises AuthenticationStateChanged: the cascading state re-renders on the circuit's own dispatcher.
            host.SetAuthenticationState(Task.FromResult(Anonymous));
        }
    }

    private void OnAuthenticationStateChanged(Task<AuthenticationState> state)
    {
        // Revalidation found the session invalid (the base provider made it anonymous): stop taking events as well.
        if (state.IsCompletedSuccessfully && state.Result.User.Identity?.IsAuthenticated != true)
        {
            _closed = true;
        }
    }

    public void Dispose() => authentication.AuthenticationStateChanged -= OnAuthenticationStateChanged;
}
