using System.Threading.RateLimiting;
using MiniPaas.Core.Owner;

namespace MiniPaas.Web.Auth;

/// <summary>
/// The sign-in and set-up form posts: <see cref="OwnerOptions.SignInAttemptsPerMinute"/> per client address, 429 beyond.
/// Lockout (<see cref="OwnerAccounts"/>) bounds guesses per account; this bounds how fast any one client can try.
/// </summary>
public static class SignInRateLimit
{
    public const string Policy = "owner-sign-in";

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, http =>
            {
                var perMinute = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<OwnerOptions>>().Value.SignInAttemptsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(
                    http.Connection.RemoteIpAddress?.ToString() ?? "local",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            limiter.OnRejected = (context, ct) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                return new ValueTask(context.HttpContext.Response.WriteAsync("Too many sign-in attempts; wait a minute and try again.", ct));
            };
        });
        return services;
    }
}
