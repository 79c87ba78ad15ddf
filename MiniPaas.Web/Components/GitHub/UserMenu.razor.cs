using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using MiniPaas.Core.GitHub;
using MiniPaas.Web.GitHub;

namespace MiniPaas.Web.Components.GitHub;

/// <summary>
/// Shows who is signed in and follows the circuit's revalidation: when the user stops being allowed, the browser is sent
/// to sign out (which clears the cookie and lands on the login page).
/// </summary>
public sealed partial class UserMenu(AuthenticationStateProvider authentication, NavigationManager navigation, IOptions<GitHubOptions> options) : IDisposable
{
    private SignedInUser? _user;

    protected override async Task OnInitializedAsync()
    {
        authentication.AuthenticationStateChanged += OnAuthenticationStateChanged;
        _user = SignInClaims.From((await authentication.GetAuthenticationStateAsync()).User);
    }

    private void SignOut() => navigation.NavigateTo("/auth/signout", forceLoad: true);

    private void OnAuthenticationStateChanged(Task<AuthenticationState> state) => _ = InvokeAsync(async () =>
    {
        _user = SignInClaims.From((await state).User);
        if (_user is null && options.Value.IsSignInConfigured)
        {
            SignOut();
            return;
        }

        StateHasChanged();
    });

    public void Dispose() => authentication.AuthenticationStateChanged -= OnAuthenticationStateChanged;
}
