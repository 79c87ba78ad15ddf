using Microsoft.AspNetCore.Diagnostics;

namespace MiniPaas.Web.Api;

/// <summary>
/// Keeps every error under <c>/api</c> a JSON problem: turns off the dashboard's HTML status pages for API requests,
/// gives body-less errors (unknown route, wrong method, unbindable parameter) a problem body, and answers
/// <see cref="BadHttpRequestException"/> with 400 instead of the error page.
/// </summary>
internal sealed class ApiProblemMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await TypedResults.Problem(statusCode: ex.StatusCode, title: "Bad request", detail: ex.Message).ExecuteAsync(context);
            return;
        }

        var response = context.Response;
        if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
        {
            await TypedResults.Problem(statusCode: response.StatusCode).ExecuteAsync(context);
        }
    }
}
