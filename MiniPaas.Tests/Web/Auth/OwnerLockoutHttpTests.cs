using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Owner;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Web.Auth;

/// <summary>Repeated wrong passwords through the real form lock sign-in; too many posts from one client are rate-limited.</summary>
public sealed class OwnerLockoutHttpTests(AuthAppFixture app) : IClassFixture<AuthAppFixture>
{
    [Fact]
    public async Task SignIn_FiveWrongPasswords_LockedOutEvenWithRightPassword()
    {
        await app.SignInOwnerAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await OwnerForms.PostSignInAsync(app.BaseAddress, "not the password " + i);
            statuses.Add(wrong.StatusCode);
        }

        using var right = await OwnerForms.PostSignInAsync(app.BaseAddress, OwnerSignIn.Password);
        var body = await right.Content.ReadAsStringAsync();
        var entries = await app.Services.GetRequiredService<AuditLog>().ListAsync();

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 4), HttpStatusCode.Locked], statuses);
        Assert.Equal(HttpStatusCode.Locked, right.StatusCode);
        Assert.Contains("locked until", body, StringComparison.Ordinal);
        var cookies = right.Headers.TryGetValues("Set-Cookie", out var set) ? set : [];
        Assert.DoesNotContain(cookies, c => c.StartsWith(OwnerSignIn.CookieName + "=", StringComparison.Ordinal));
        Assert.Equal(4, entries.Count(e => e.Action == AuditActions.SignInFailed));
        Assert.Equal(2, entries.Count(e => e.Action == AuditActions.SignInLocked));
    }
}

/// <summary>The sign-in post is rate-limited per client before any password is checked.</summary>
public sealed class OwnerRateLimitHttpTests(RateLimitedAuthAppFixture app) : IClassFixture<RateLimitedAuthAppFixture>
{
    [Fact]
    public async Task SignIn_MorePostsThanAllowedPerMinute_429BeforePasswordChecked()
    {
        await app.SignInOwnerAsync();
        var statuses = new List<HttpStatusCode>();
        // 3 a minute: a fixed window may roll over once during the loop, so at most 2 x 3 posts pass before a 429.
        for (var i = 0; i < 7 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            using var response = await OwnerForms.PostSignInAsync(app.BaseAddress, "wrong password " + i);
            statuses.Add(response.StatusCode);
        }

        var failed = (await app.Services.GetRequiredService<AuditLog>().ListAsync()).Count(e => e.Action == AuditActions.SignInFailed);

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.All(statuses[..^1], s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        // Refused posts never reached the password check: only the 401s were counted as failures.
        Assert.Equal(statuses.Count - 1, failed);
    }
}
