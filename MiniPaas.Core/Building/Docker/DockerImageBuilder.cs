using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Checkouts;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Core.Building.Docker;

/// <summary>Builds images with the Docker engine's build API from a tar of the context folder.</summary>
internal sealed partial class DockerImageBuilder(
    IBuildEngineClient engine,
    IOptions<BuilderOptions> options,
    TimeProvider timeProvider,
    ILogger<DockerImageBuilder> logger) : IImageBuilder
{
    private const long CpuPeriod = 100_000;

    public Task<ImageBuildResult> BuildAsync(
        string contextDirectory,
        string dockerfilePath,
        string imageTag,
        IReadOnlyDictionary<string, string> labels,
        IProgress<BuildOutputLine> output,
        CancellationToken ct = default) =>
        BuildAsync(contextDirectory, dockerfilePath, imageTag, labels, [], output, ct);

    public Task<ImageBuildResult> BuildAsync(
        string contextDirectory,
        string dockerfilePath,
        string imageTag,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyList<BuildContextFile> extraFiles,
        IProgress<BuildOutputLine> output,
        CancellationToken ct = default) =>
        BuildAsync(contextDirectory, dockerfilePath, imageTag, labels, extraFiles, new Dictionary<string, string>(), output, ct);

    public async Task<ImageBuildResult> BuildAsync(
        string contextDirectory,
        string dockerfilePath,
        string imageTag,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyList<BuildContextFile> extraFiles,
        IReadOnlyDictionary<string, string> buildArguments,
        IProgress<BuildOutputLine> output,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(contextDirectory);
        ArgumentException.ThrowIfNullOrEmpty(dockerfilePath);
        ArgumentException.ThrowIfNullOrEmpty(imageTag);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(extraFiles);
        ArgumentNullException.ThrowIfNull(buildArguments);
        ArgumentNullException.ThrowIfNull(output);

        var dockerfile = dockerfilePath.Replace('\\', '/').TrimStart('/');
        if (!File.Exists(Path.Combine(contextDirectory, dockerfile)) && !extraFiles.Any(f => f.Path.Replace('\\', '/').TrimStart('/') == dockerfile))
        {
            return Fail(imageTag, output, $"Dockerfile '{dockerfile}' was not found in the build context.");
        }

        var settings = options.Value;
        using var timeout = new CancellationTokenSource(settings.BuildTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var lines = new BuildOutputReader(output, settings.MaxBuildLogLineLength);
        try
        {
            // The context goes to a temporary file rather than memory: a repository may be large.
            var tarPath = Path.Combine(Path.GetTempPath(), $"minipaas-context-{Guid.NewGuid():N}.tar");
            var tar = new FileStream(tarPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await using (tar.ConfigureAwait(false))
            {
                await BuildContextArchive.WriteAsync(tar, new CheckoutFiles(contextDirectory, settings.MaxCheckoutFileBytes), dockerfile, extraFiles, linked.Token).ConfigureAwait(false);
                tar.Position = 0;
                LogBuildStarting(logger, imageTag, tar.Length);

                var parameters = new ImageBuildParameters
                {
                    Dockerfile = dockerfile,
                    Tags = [imageTag],
                    Labels = labels.ToDictionary(),
                    // Sent as JSON in the API request, never through a shell; the engine hands each value only to a matching ARG.
                    BuildArgs = buildArguments.Count > 0 ? buildArguments.ToDictionary() : null,
                    NetworkMode = string.IsNullOrWhiteSpace(settings.NetworkMode) ? null : settings.NetworkMode,
                    CPUPeriod = settings.BuildCpus > 0 ? CpuPeriod : null,
                    CPUQuota = settings.BuildCpus > 0 ? (long)Math.Round(settings.BuildCpus * CpuPeriod) : null,
                    Memory = settings.BuildMemoryMiB > 0 ? settings.BuildMemoryMiB * 1024 * 1024 : null,
                    // Swap included in the limit: otherwise the engine allows twice the memory again as swap.
                    MemorySwap = settings.BuildMemoryMiB > 0 ? settings.BuildMemoryMiB * 1024 * 1024 : null,
                    Remove = true,
                    ForceRemove = true,
                    // Never pull: no registry may be reachable, and a missing base image should fail fast with a clear message.
                    Pull = null,
                };

                await ReadBuildAsync(parameters, tar, lines, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            lines.Flush();
            return Fail(imageTag, output, $"Build timed out after {Describe(settings.BuildTimeout)}.");
        }
        catch (DockerApiException e)
        {
            lines.Flush();
            return Fail(imageTag, output, $"The Docker engine refused the build: {e.ResponseBody?.Trim() ?? e.Message}");
        }

        lines.Flush();
        if (lines.Error is null && lines.ImageId is null)
        {
            // The engine ends a successful build by naming the image; an error MiniPaas failed to read must not pass for success.
            return Fail(imageTag, output, "The engine ended the build without reporting an image.");
        }

        if (lines.Error is not null)
        {
            LogBuildFailed(logger, imageTag);
            return new ImageBuildResult(false, imageTag, lines.DescribeFailure());
        }

        LogBuildSucceeded(logger, imageTag);
        return new ImageBuildResult(true, imageTag, null);
    }

    private async Task ReadBuildAsync(ImageBuildParameters parameters, Stream context, BuildOutputReader lines, CancellationToken ct)
    {
        // The overload returning the raw response is the one that lets MiniPaas read the output in bounded chunks (see
        // BuildResponseReader); the progress overload deserialises each engine message whole, however large.
#pragma warning disable CS0618
        var response = await engine.Client.Images.BuildImageFromDockerfileAsync(context, parameters, ct).ConfigureAwait(false);
#pragma warning restore CS0618
        await using (response.ConfigureAwait(false))
        {
            // The engine's response stream does not observe the token while a read waits: closing it ends the read, and the
            // engine stops a build whose client went away.
            using var closeOnCancel = ct.Register(response.Dispose);
            try
            {
                await new BuildResponseReader(lines).ReadAsync(response, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ct.IsCancellationRequested && ex is ObjectDisposedException or IOException)
            {
                throw new OperationCanceledException("The build was cancelled.", ex, ct);
            }
        }
    }

    private ImageBuildResult Fail(string imageTag, IProgress<BuildOutputLine> output, string reason)
    {
        output.Report(new BuildOutputLine(reason, IsError: true));
        LogBuildFailed(logger, imageTag);
        return new ImageBuildResult(false, imageTag, reason);
    }

    private static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");

    [LoggerMessage(Level = LogLevel.Information, Message = "Building image {ImageTag} from a {ContextBytes}-byte context")]
    private static partial void LogBuildStarting(ILogger logger, string imageTag, long contextBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Built image {ImageTag}")]
    private static partial void LogBuildSucceeded(ILogger logger, string imageTag);

    // Without the reason: it quotes the build's output, which may print secrets, and only the deployment pipeline knows the
    // project's secrets to mask them (it logs the masked reason itself).
    [LoggerMessage(Level = LogLevel.Warning, Message = "Build of {ImageTag} failed")]
    private static partial void LogBuildFailed(ILogger logger, string imageTag);
}
