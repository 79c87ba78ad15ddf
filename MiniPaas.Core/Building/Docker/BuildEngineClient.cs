using Docker.DotNet;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Core.Building.Docker;

/// <summary>Seam through which the builder gets its Docker client; swap the registration to share the engine's client.</summary>
internal interface IBuildEngineClient
{
    IDockerClient Client { get; }
}

/// <summary>One <see cref="DockerClient"/> for <c>MiniPaas:Docker:Endpoint</c>, created on first use.</summary>
internal sealed class BuildEngineClient(IOptions<DockerOptions> options) : IBuildEngineClient, IDisposable
{
    // No API version: the Debian engine (API 1.41) refuses the newer default some clients ask for.
    private readonly Lazy<DockerClient> _client = new(() => new DockerClientConfiguration(new Uri(options.Value.Endpoint)).CreateClient());

    public IDockerClient Client => _client.Value;

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
