using Microsoft.AspNetCore.Components.Authorization;
using MiniPaas.Web.GitHub;

namespace MiniPaas.Web.Components.GitHub;

/// <summary>
/// Shows who is signed in and follows the circuit's authentication state (the router takes the page away when the session
/// ends, see <c>RedirectToSignIn</c>).
/// </summary>
public sealed partial class UserMenu(AuthenticationStateProvider authentication) : IDisposable
{
    private SignedInUser? _user;
    private bool _signedIn;

    protected override async Task OnInitializedAsync()
    {
        authentication.AuthenticationStateChanged += OnAuthenticationStateChanged;
        Show((await authentication.GetAuthenticationStateAsync()).User);
    }

    private void Show(System.Security.Claims.ClaimsPrincipal user)
    {
        _signedIn = user.Identity?.IsAuthenticated == true;
        _user = SignInClaims.From(user);
    }

    private void OnAuthenticationStateChanged(Task<AuthenticationState> state) => _ = InvokeAsync(async () =>
    {
        Show((await state).User);
        StateHasChanged();
    });

    public void Dispose() => authentication.AuthenticationStateChanged -= OnAuthenticationStateChanged;
}
