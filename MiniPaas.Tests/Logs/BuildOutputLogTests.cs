using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Shared.Fakes;

namespace MiniPaas.Tests.Logs;

/// <summary>The repository-controlled part of a build log under its caps, stored through the real recorder and PostgreSQL.</summary>
public sealed class BuildOutputLogTests
{
    private const long ProjectId = 8;

    [Fact]
    public async Task Write_MoreLinesThanTheCap_StoresTheCapThenOneNoticeCountingTheRest()
    {
        var (recorder, _) = await CreateAsync("buildout_lines");
        var output = new BuildOutputLog(recorder, 81, new BuildLogLimits(MaxLineLength: 256, MaxLines: 5, MaxBytes: 1 << 20));

        for (var i = 0; i < 12; i++)
        {
            output.Write($"line {i}");
        }

        // MiniPaas's own lines are not the repository's output: never dropped.
        recorder.Write(81, "Build failed: step 3", isError: true);
        output.Complete();
        output.Complete();

        var stored = (await recorder.ReadAsync(81)).Select(l => l.Text).ToList();
        Assert.Equal(["line 0", "line 1", "line 2", "line 3", "line 4", "Build failed: step 3"], stored[..6]);
        Assert.Equal(7, stored.Count);
        Assert.StartsWith("7 lines dropped (", stored[6], StringComparison.Ordinal);
        Assert.Contains("MiniPaas:Builder:MaxBuildLogLines", stored[6], StringComparison.Ordinal);
        Assert.Equal(7, output.DroppedLines);
    }

    [Fact]
    public async Task Write_MoreBytesThanTheCap_StopsBeforeTheCap()
    {
        var (recorder, _) = await CreateAsync("buildout_bytes");
        var output = new BuildOutputLog(recorder, 82, new BuildLogLimits(MaxLineLength: 1024, MaxLines: 1000, MaxBytes: 2500));

        for (var i = 0; i < 10; i++)
        {
            output.Write(new string((char)('a' + i), 999));
        }

        output.Complete();

        var stored = (await recorder.ReadAsync(82)).Select(l => l.Text).ToList();
        // Each line takes 1,000 bytes with its newline: two fit in 2,500, the third would not.
        Assert.Equal([new string('a', 999), new string('b', 999)], stored[..2]);
        Assert.Equal(3, stored.Count);
        Assert.StartsWith("8 lines dropped (7,992 characters)", stored[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_LongLineWithASecretAtTheCut_MaskedThenCutWithTheCountOfEverythingLeftOut()
    {
        var (recorder, secrets) = await CreateAsync("buildout_cut");
        secrets.Set(ProjectId, "s3cret-token");
        await recorder.MaskSecretsAsync(ProjectId, 83);
        var output = new BuildOutputLog(recorder, 83, new BuildLogLimits(MaxLineLength: 300, MaxLines: 100, MaxBytes: 1 << 20));

        // The secret straddles the visible cut at 300; the reader already left 5,000 characters out.
        output.Write(new string('x', 295) + "s3cret-token" + new string('y', 200), cutCharacters: 5_000);
        output.Complete();

        var line = Assert.Single(await recorder.ReadAsync(83)).Text;
        Assert.DoesNotContain("s3cret", line, StringComparison.Ordinal);
        Assert.Equal(new string('x', 295) + "***" + "yy" + " … [line cut: 5,198 more characters]", line);
    }

    private static async Task<(BuildLogRecorder Recorder, FixedSecretValues Secrets)> CreateAsync(string database)
    {
        var contexts = await (await PostgresFixture.GetAsync()).CreateMigratedContextFactoryAsync(database);
        var secrets = new FixedSecretValues();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var recorder = new BuildLogRecorder(contexts, new BuildLogFeed(), new LogSequences(), new SecretMaskerCache(secrets, time), time, NullLogger<BuildLogRecorder>.Instance);
        return (recorder, secrets);
    }
}
