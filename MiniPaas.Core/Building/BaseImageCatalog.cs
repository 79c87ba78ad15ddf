using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Core.Building;

/// <summary>Resolves a base-image key (<c>node</c>, <c>dotnet-sdk</c>, …) to an image, from <c>MiniPaas:Builder:BaseImages</c> else the official default.</summary>
public sealed class BaseImageCatalog(IOptions<BuilderOptions> options)
{
    public const string GoRuntime = "go-runtime";
    public const string DotNetSdk = "dotnet-sdk";
    public const string Composer = "composer";

    /// <summary>Current official images used when a key is not configured.</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [StackKeys.Node] = "node:22-bookworm-slim",
        [StackKeys.Python] = "python:3.12-slim",
        [StackKeys.Go] = "golang:1.23",
        // distroless/static has no shell and no libc: fine for a CGO-free Go binary, and the smallest attack surface.
        [GoRuntime] = "gcr.io/distroless/static-debian12",
        [DotNetSdk] = "mcr.microsoft.com/dotnet/sdk:9.0",
        [StackKeys.DotNet] = "mcr.microsoft.com/dotnet/aspnet:9.0",
        [StackKeys.Ruby] = "ruby:3.3-slim",
        [StackKeys.Php] = "php:8.3-cli",
        [Composer] = "composer:2",
        // busybox carries httpd and sh, so $PORT is honoured with one small image.
        [StackKeys.Static] = "busybox:1.37",
    };

    /// <summary>The image for <paramref name="key"/>.</summary>
    public string Resolve(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (options.Value.BaseImages.TryGetValue(key, out var configured) && !string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }

        return Defaults.TryGetValue(key, out var image)
            ? image
            : throw new KeyNotFoundException($"No base image is known for '{key}'; set MiniPaas:Builder:BaseImages:{key}.");
    }
}
