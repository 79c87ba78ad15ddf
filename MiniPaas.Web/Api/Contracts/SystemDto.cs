namespace MiniPaas.Web.Api.Contracts;

/// <summary>The answer of <c>GET /api/system</c>: versions, database and container engine state (no secrets).</summary>
public sealed record SystemDto(SystemVersions Versions, SystemDatabase Database, SystemEngine Engine, SystemBuilder Builder, SystemIngress Ingress);

public sealed record SystemVersions(string MiniPaas, string Runtime, string? Docker, string? DockerApi);

/// <summary><see cref="Source"/> is <c>configured</c>, <c>privatecluster</c>, <c>container</c>, or <c>resolving</c> before start-up finished.</summary>
public sealed record SystemDatabase(string Source, string? Host, int? Port, string? Name, bool Reachable);

public sealed record SystemEngine(bool Connected, string Endpoint, string? Error, DateTimeOffset CheckedAt);

public sealed record SystemBuilder(int MaxConcurrentBuilds, int Queued, int Building);

public sealed record SystemIngress(string Mode, int Port, string AppsDomain);
