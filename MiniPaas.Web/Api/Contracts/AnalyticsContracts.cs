using MiniPaas.Core.Analytics;
using MiniPaas.Core.Analytics.Stats;

namespace MiniPaas.Web.Api.Contracts;

/// <summary><c>GET /api/projects/{id}/analytics</c>: one point per bucket (empty buckets included) and the range's totals. <c>bucket</c> is ISO 8601 (<c>PT5M</c>).</summary>
public sealed record AnalyticsDto(DateTimeOffset From, DateTimeOffset To, string Bucket, IReadOnlyList<RequestPoint> Series, RequestTotals Totals);

/// <summary><c>GET /api/projects/{id}/visitors</c>: distinct visitors over the whole range and per UTC day (days without visitors left out).</summary>
public sealed record VisitorsDto(DateTimeOffset From, DateTimeOffset To, long Unique, IReadOnlyList<DailyVisitors> Days);

/// <summary><c>GET /api/projects/{id}/requests</c>: the request count of the range and its most requested paths and referrer hosts.</summary>
public sealed record RequestsDto(DateTimeOffset From, DateTimeOffset To, long Total, IReadOnlyList<RankedCount> TopPaths, IReadOnlyList<RankedCount> TopReferrers);

/// <summary><c>GET /api/projects/{id}/resources</c>: CPU (% of one core, summed over containers) and memory per bucket that has samples.</summary>
public sealed record ResourcesDto(DateTimeOffset From, DateTimeOffset To, string Bucket, IReadOnlyList<ResourcePoint> Points);
