using Docker.DotNet;
using MiniPaas.Core.Deploying.Docker;

namespace MiniPaas.Core.Building.Docker;

/// <summary>Seam through which the builder gets its Docker client.</summary>
internal interface IBuildEngineClient
{
    IDockerClient Client { get; }
}

/// <summary>The engine's shared client for <c>MiniPaas:Docker:Endpoint</c> (one client per endpoint in the process).</summary>
internal sealed class BuildEngineClient(DockerClientProvider provider) : IBuildEngineClient
{
    public IDockerClient Client => provider.GetClient();
}
