using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Analytics;
using MiniPaas.Core.Analytics.Stats;
using MiniPaas.Core.ApiTokens;
using MiniPaas.Core.Projects;
using MiniPaas.Web.Api.Analytics;
using MiniPaas.Web.Api.Authentication;
using MiniPaas.Web.Api.Contracts;

namespace MiniPaas.Web.Api.Endpoints;

/// <summary>
/// <c>/api/projects/{id}/analytics|visitors|requests|resources</c>: the read side of request analytics and container stats,
/// straight from <see cref="RequestAnalytics"/> and <see cref="ContainerStatsStore"/> (the services the dashboard uses).
/// </summary>
internal static class AnalyticsEndpoints
{
    public const int DefaultTop = 10;
    public const int MaxTop = 100;

    public static RouteGroupBuilder MapAnalyticsEndpoints(this RouteGroupBuilder api)
    {
        var project = api.MapGroup("/projects/{id:long}").WithTags("Analytics").RequireApiScope(ApiScope.Read);
        project.MapGet("/analytics", AnalyticsAsync).WithName("GetAnalytics");
        project.MapGet("/visitors", VisitorsAsync).WithName("GetVisitors");
        project.MapGet("/requests", RequestsAsync).WithName("GetRequests");
        project.MapGet("/resources", ResourcesAsync).WithName("GetResources");
        return api;
    }

    private static async Task<Results<Ok<AnalyticsDto>, ValidationProblem, ProblemHttpResult>> AnalyticsAsync(
        long id, HttpRequest request, ProjectService projects, RequestAnalytics analytics, TimeProvider time, CancellationToken ct)
    {
        var query = AnalyticsQuery.Parse(request, time.GetUtcNow(), TimeSpan.FromMinutes(1), out var errors);
        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        if (await projects.GetAsync(id, ct) is null)
        {
            return ProjectEndpoints.ProjectNotFound(id);
        }

        var series = await analytics.GetSeriesAsync(id, query.Range, query.Bucket, ct);
        var totals = await analytics.GetTotalsAsync(id, query.Range, ct);
        return TypedResults.Ok(new AnalyticsDto(query.Range.From, query.Range.To, AnalyticsQuery.Format(series.BucketWidth), series.Points, totals));
    }

    private static async Task<Results<Ok<VisitorsDto>, ValidationProblem, ProblemHttpResult>> VisitorsAsync(
        long id, HttpRequest request, ProjectService projects, RequestAnalytics analytics, TimeProvider time, CancellationToken ct)
    {
        var query = AnalyticsQuery.Parse(request, time.GetUtcNow(), TimeSpan.FromMinutes(1), out var errors);
        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        if (await projects.GetAsync(id, ct) is null)
        {
            return ProjectEndpoints.ProjectNotFound(id);
        }

        var totals = await analytics.GetTotalsAsync(id, query.Range, ct);
        var days = await analytics.GetVisitorsPerDayAsync(id, query.Range, ct);
        return TypedResults.Ok(new VisitorsDto(query.Range.From, query.Range.To, totals.UniqueVisitors, days));
    }

    private static async Task<Results<Ok<RequestsDto>, ValidationProblem, ProblemHttpResult>> RequestsAsync(
        long id, HttpRequest request, ProjectService projects, RequestAnalytics analytics, TimeProvider time, CancellationToken ct)
    {
        var query = AnalyticsQuery.Parse(request, time.GetUtcNow(), TimeSpan.FromMinutes(1), out var errors);
        var top = DefaultTop;
        if (request.Query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > MaxTop))
        {
            errors["limit"] = [$"limit (entries per top list) is a whole number from 1 to {MaxTop}."];
        }

        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        if (await projects.GetAsync(id, ct) is null)
        {
            return ProjectEndpoints.ProjectNotFound(id);
        }

        var totals = await analytics.GetTotalsAsync(id, query.Range, ct);
        var paths = await analytics.GetTopPathsAsync(id, query.Range, top, ct);
        var referrers = await analytics.GetTopReferrersAsync(id, query.Range, top, ct);
        return TypedResults.Ok(new RequestsDto(query.Range.From, query.Range.To, totals.Requests, paths, referrers));
    }

    private static async Task<Results<Ok<ResourcesDto>, ValidationProblem, ProblemHttpResult>> ResourcesAsync(
        long id, HttpRequest request, ProjectService projects, ContainerStatsStore stats, IOptions<ContainerStatsOptions> statsOptions,
        TimeProvider time, CancellationToken ct)
    {
        var query = AnalyticsQuery.Parse(request, time.GetUtcNow(), TimeSpan.FromSeconds(1), out var errors);
        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        if (await projects.GetAsync(id, ct) is null)
        {
            return ProjectEndpoints.ProjectNotFound(id);
        }

        var width = query.Bucket ?? ResourceSeries.WidthFor(query.Range.Length, statsOptions.Value.Interval);
        var series = await stats.LoadSeriesAsync(id, query.Range.From, query.Range.To, width, ct);
        return TypedResults.Ok(new ResourcesDto(query.Range.From, query.Range.To, AnalyticsQuery.Format(width), series.Points()));
    }
}
