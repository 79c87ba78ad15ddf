using System.Collections.Concurrent;
using Docker.DotNet;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Core.Deploying.Docker;

/// <summary>
/// Hands out one <see cref="DockerClient"/> per engine endpoint: a client owns an HTTP handler and its connection pool,
/// so creating one per call would leak sockets.
/// </summary>
public sealed class DockerClientProvider(IOptions<DockerOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<DockerClient>> _clients = new(StringComparer.Ordinal);

    /// <summary>The configured endpoint (<c>MiniPaas:Docker:Endpoint</c>).</summary>
    public string Endpoint => options.Value.Endpoint;

    /// <summary>The client of the configured endpoint.</summary>
    public DockerClient GetClient() => GetClient(Endpoint);

    public DockerClient GetClient(string endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        return _clients.GetOrAdd(endpoint, e => new Lazy<DockerClient>(() => Create(e))).Value;
    }

    /// <summary>
    /// No API version is pinned: the engine then answers with its own, and Debian's 20.10 engine refuses the
    /// newer version Docker.DotNet would otherwise ask for.
    /// </summary>
    internal static DockerClient Create(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            throw new ContainerRuntimeException($"Docker endpoint '{endpoint}' is not a valid URI; set MiniPaas__Docker__Endpoint (e.g. unix:///var/run/docker.sock)");
        }

        // Long timeout: builds and log reads are long calls; probes use their own short cancellation.
        return new DockerClientConfiguration(uri, defaultTimeout: TimeSpan.FromMinutes(30)).CreateClient();
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            if (client.IsValueCreated)
            {
                client.Value.Dispose();
            }
        }

        _clients.Clear();
    }
}
