using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using MiniPaas.Web.GitHub;

namespace MiniPaas.Web.Auth;

/// <summary>The sign-in and set-up pages (plain HTML outside Blazor, so they work before any circuit can exist).</summary>
internal static class OwnerPages
{
    private const string FormStyle = """
        <style>
          form.owner { display: grid; gap: .75rem; margin-top: 1.5rem; text-align: left; }
          form.owner input[type=password] { padding: .6rem; font-size: 1rem; border: 1px solid #bbb; border-radius: 6px; }
          form.owner button { background: #1565c0; color: #fff; border: 0; padding: .75rem; border-radius: 6px; font-weight: 600; font-size: 1rem; cursor: pointer; }
          p.error { color: #b00020; }
        </style>
        """;

    public static Task WriteLoginAsync(HttpContext http, string returnUrl, bool showGitHub, bool showPassword, string? error)
    {
        var encodedReturn = HtmlEncoder.Default.Encode(returnUrl);
        var escapedReturn = HtmlEncoder.Default.Encode(Uri.EscapeDataString(returnUrl));
        var body = "<p>Sign in to deploy and manage your apps.</p>" + ErrorHtml(error);
        if (showGitHub)
        {
            body += $"""
                <a class="button" href="/auth/github?returnUrl={escapedReturn}" data-testid="connect-github">Connect with GitHub</a>
                <a class="secondary" href="/auth/github?returnUrl={escapedReturn}&amp;private=true" data-testid="connect-github-private">Connect with GitHub, including private repositories</a>
                """;
        }

        if (showPassword)
        {
            body += $"""
                {FormStyle}
                <form class="owner" method="post" action="/login" data-testid="sign-in-form">
                  {AntiforgeryField(http)}
                  <input type="hidden" name="returnUrl" value="{encodedReturn}">
                  <label for="password">Owner password</label>
                  <input id="password" name="password" type="password" autocomplete="current-password" required autofocus data-testid="password">
                  <button type="submit" data-testid="sign-in">Sign in</button>
                </form>
                <p class="secondary">Forgot it? Run <code>dotnet run --project MiniPaas.Web -- reset-owner</code> on the server.</p>
                """;
        }

        return SignInPages.WriteAsync(http.Response, "MiniPaas", body, http.RequestAborted);
    }

    public static Task WriteSetupFormAsync(HttpContext http, string token, int minLength, string? error) =>
        SignInPages.WriteAsync(
            http.Response,
            "Set up MiniPaas",
            $"""
            <p>Choose the owner password. It is the only way into this dashboard, so keep it somewhere safe.</p>
            {ErrorHtml(error)}
            {FormStyle}
            <form class="owner" method="post" action="/setup" data-testid="setup-form">
              {AntiforgeryField(http)}
              <input type="hidden" name="token" value="{HtmlEncoder.Default.Encode(token)}">
              <label for="password">Password (at least {minLength} characters)</label>
              <input id="password" name="password" type="password" autocomplete="new-password" minlength="{minLength}" required autofocus data-testid="new-password">
              <label for="confirm">Repeat it</label>
              <input id="confirm" name="confirm" type="password" autocomplete="new-password" required data-testid="confirm-password">
              <button type="submit" data-testid="set-password">Set password</button>
            </form>
            """,
            http.RequestAborted);

    public static Task WriteSetupNeededAsync(HttpContext http, bool tokenGiven) =>
        SignInPages.WriteAsync(
            http.Response,
            "Set up MiniPaas",
            $"""
            <p data-testid="setup-needed">{(tokenGiven ? "This set-up link is invalid or has expired." : "This MiniPaas has no owner yet.")}</p>
            <p>Open the set-up link MiniPaas printed to its console and log when it started. It works for a limited time;
            restart MiniPaas, or run <code>dotnet run --project MiniPaas.Web -- reset-owner</code>, for a new one.</p>
            """,
            http.RequestAborted);

    private static string ErrorHtml(string? error) =>
        error is null ? "" : $"""<p class="error" data-testid="sign-in-error">{HtmlEncoder.Default.Encode(error)}</p>""";

    private static string AntiforgeryField(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return $"""<input type="hidden" name="{HtmlEncoder.Default.Encode(tokens.FormFieldName)}" value="{HtmlEncoder.Default.Encode(tokens.RequestToken ?? "")}">""";
    }
}
