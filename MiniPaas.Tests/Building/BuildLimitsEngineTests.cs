using System.Diagnostics;
using System.Globalization;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Xunit.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Building;
using MiniPaas.Core.Building.Docker;
using MiniPaas.Core.Configuration;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Building;

/// <summary>Runs alone: the memory measurement must not see other tests' allocations.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BuildMemoryGroup
{
    public const string Name = "Build memory";
}

/// <summary>Builds on the real engine whose output or resources a hostile repository would push: MiniPaas stays bounded.</summary>
[Trait("Category", "Docker")]
[Collection(BuildMemoryGroup.Name)]
public sealed class BuildLimitsEngineTests(DockerEngineFixture engine, ITestOutputHelper log) : IClassFixture<DockerEngineFixture>, IAsyncLifetime
{
    private readonly List<string> _images = [];

    [Fact]
    public async Task BuildAsync_RunPrintsOneGigabyteWithoutNewline_OneCutLineAndMemoryStaysFlat()
    {
        // Warm up first (JIT, connection, buffers), so the measurement sees only what the big output costs.
        await BuildAsync(Dockerfile($"echo warm-{Guid.NewGuid():N}"), _ => { });
        var lines = new List<BuildOutputLine>();
        using var memory = new MemoryWatch();

        var result = await BuildAsync(
            Dockerfile($"echo start-{Guid.NewGuid():N}; head -c {1L << 30} /dev/zero | /bin/busybox tr '\\0' a; echo; echo after-the-gigabyte"),
            line =>
            {
                memory.Sample();
                lines.Add(line);
            });
        memory.Stop();
        log.WriteLine($"1 GiB build: managed heap peak +{memory.HeapGrowth:N0} bytes, working set peak +{memory.WorkingSetGrowth:N0} bytes");

        Assert.True(result.Succeeded, result.FailureReason);
        var big = Assert.Single(lines, l => l.Text.StartsWith("aaaa", StringComparison.Ordinal));
        Assert.True(big.Text.Length <= new BuilderOptions().MaxBuildLogLineLength + 256, $"kept {big.Text.Length} characters");
        Assert.Equal(1L << 30, big.Text.Length + big.CutCharacters);
        Assert.Contains(lines, l => l.Text == "after-the-gigabyte");
        Assert.True(memory.HeapGrowth < 100L << 20, $"managed heap grew by {memory.HeapGrowth:N0} bytes");
        Assert.True(memory.WorkingSetGrowth < 100L << 20, $"working set grew by {memory.WorkingSetGrowth:N0} bytes");
    }

    [Fact]
    public async Task BuildAsync_InstructionJoinedFromManyLines_StepEchoAndErrorStayBounded()
    {
        // One RUN of ~8 MB through continuation lines: the engine echoes it in a single "Step" message and quotes it in its
        // error (the command is too long to execute), both far beyond the reader's message cap.
        var dockerfile = new StringBuilder($"FROM {DockerEngineFixture.BusyboxImage}\nRUN echo {Guid.NewGuid():N} \\\n");
        var word = new string('b', 40_000);
        for (var i = 0; i < 200; i++)
        {
            dockerfile.Append(word).Append(" \\\n");
        }

        dockerfile.Append("end; exit 7\n");
        var lines = new List<BuildOutputLine>();

        var result = await BuildAsync(dockerfile.ToString(), lines.Add);

        Assert.False(result.Succeeded);
        log.WriteLine($"failure reason: {result.FailureReason?.Length:N0} characters; lines: {string.Join(", ", lines.Select(l => $"{l.Text.Length}+{l.CutCharacters}"))}");
        var step = Assert.Single(lines, l => l.Text.StartsWith("Step 2/2 : RUN echo", StringComparison.Ordinal));
        Assert.True(step.CutCharacters > 7_900_000, $"cut {step.CutCharacters:N0}");
        Assert.True(step.Text.Length <= new BuilderOptions().MaxBuildLogLineLength + 256);
        Assert.All(lines, l => Assert.True(l.Text.Length <= new BuilderOptions().MaxBuildLogLineLength + 256));
        Assert.NotNull(result.FailureReason);
        Assert.True(result.FailureReason.Length < 4_000, $"failure reason of {result.FailureReason.Length:N0} characters");
        Assert.StartsWith("Step 2/2 `RUN echo", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_CpuAndMemoryConfigured_RunStepsRunUnderThem()
    {
        var lines = new List<BuildOutputLine>();
        var options = new BuilderOptions { BuildCpus = 0.5, BuildMemoryMiB = 300 };

        var result = await BuildAsync(
            Dockerfile($"echo {Guid.NewGuid():N}; echo memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes) swap=$(cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes) quota=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)/$(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"),
            lines.Add,
            options);

        Assert.True(result.Succeeded, result.FailureReason);
        var bytes = (300L << 20).ToString(CultureInfo.InvariantCulture);
        Assert.Contains(lines, l => l.Text == $"memory={bytes} swap={bytes} quota=50000/100000");
    }

    private static string Dockerfile(string script) => $"""
        FROM {DockerEngineFixture.BusyboxImage}
        RUN ["/bin/busybox", "sh", "-c", "{script.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}"]
        """;

    private async Task<ImageBuildResult> BuildAsync(string dockerfile, Action<BuildOutputLine> onLine, BuilderOptions? options = null)
    {
        options ??= new BuilderOptions();
        options.NetworkMode = "host";
        var client = new BuildEngineClient(new MiniPaas.Core.Deploying.Docker.DockerClientProvider(Options.Create(new DockerOptions { Endpoint = engine.Endpoint })));
        var builder = new DockerImageBuilder(client, Options.Create(options), TimeProvider.System, NullLogger<DockerImageBuilder>.Instance);
        using var repo = new SampleRepo().With("Dockerfile", dockerfile);
        var tag = $"minipaas-test/limits:{Guid.NewGuid():N}";
        _images.Add(tag);
        return await builder.BuildAsync(repo.Path, "Dockerfile", tag, new Dictionary<string, string>(), new SynchronousProgress<BuildOutputLine>(onLine));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var image in _images)
        {
            try
            {
                await engine.Client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true, NoPrune = true });
            }
            catch (DockerImageNotFoundException)
            {
                // Failed builds leave no image.
            }
        }
    }

    /// <summary>Peaks of the managed heap and the working set against their values at the start, sampled on lines and on a timer.</summary>
    private sealed class MemoryWatch : IDisposable
    {
        private readonly long _heapStart = GC.GetTotalMemory(forceFullCollection: true);
        private readonly long _workingSetStart = WorkingSet();
        private readonly Timer _timer;
        private long _heapPeak;
        private long _workingSetPeak;

        public MemoryWatch() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));

        public long HeapGrowth => Math.Max(0, Interlocked.Read(ref _heapPeak) - _heapStart);

        public long WorkingSetGrowth => Math.Max(0, Interlocked.Read(ref _workingSetPeak) - _workingSetStart);

        public void Sample()
        {
            Raise(ref _heapPeak, GC.GetTotalMemory(forceFullCollection: false));
            Raise(ref _workingSetPeak, WorkingSet());
        }

        public void Stop()
        {
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
            Sample();
        }

        public void Dispose() => _timer.Dispose();

        private static long WorkingSet()
        {
            using var process = Process.GetCurrentProcess();
            return process.WorkingSet64;
        }

        private static void Raise(ref long peak, long value)
        {
            long seen;
            while (value > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen)
            {
            }
        }
    }
}
