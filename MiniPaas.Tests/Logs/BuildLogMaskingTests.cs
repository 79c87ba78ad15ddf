using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Shared.Fakes;

namespace MiniPaas.Tests.Logs;

/// <summary>The build log masks through the same <see cref="SecretMaskerCache"/> as the runtime log.</summary>
public sealed class BuildLogMaskingTests
{
    private const long ProjectId = 7;
    private const long DeploymentId = 70;

    [Fact]
    public async Task Write_AfterMaskSecretsAsync_MasksLinesAndSharesTheMaskerWithTheRuntimeLog()
    {
        var (recorder, cache, secrets, time) = await CreateAsync("buildlog_mask");
        secrets.Set(ProjectId, "s3cret-token");

        var before = recorder.Write(DeploymentId, "before loading: s3cret-token");
        await recorder.MaskSecretsAsync(ProjectId, DeploymentId);
        var after = recorder.Write(DeploymentId, "echo s3cret-token", isError: true);
        var other = recorder.Write(DeploymentId + 1, "another deployment: s3cret-token");

        Assert.Equal("before loading: s3cret-token", before.Text);
        Assert.Equal("echo ***", after.Text);
        Assert.Equal("another deployment: s3cret-token", other.Text);
        Assert.Equal("reason: ***", recorder.Mask(DeploymentId, "reason: s3cret-token"));
        Assert.Contains(await recorder.ReadAsync(DeploymentId), l => l.Text == "echo ***");
        // The runtime log of the same deployment gets the masker the build loaded, not a second one.
        Assert.Same(cache.Current(DeploymentId), await cache.GetAsync(ProjectId, DeploymentId));

        // A value set during the build joins the set when the pipeline loads again (before starting the container).
        secrets.Set(ProjectId, "new-value");
        time.Advance(TimeSpan.FromMinutes(1));
        await recorder.MaskSecretsAsync(ProjectId, DeploymentId);
        Assert.Equal("*** ***", recorder.Write(DeploymentId, "s3cret-token new-value").Text);

        recorder.ForgetSecrets(DeploymentId);
        Assert.Equal("s3cret-token", recorder.Write(DeploymentId, "s3cret-token").Text);
    }

    private static async Task<(BuildLogRecorder Recorder, SecretMaskerCache Cache, FixedSecretValues Secrets, FakeTimeProvider Time)> CreateAsync(string database)
    {
        var contexts = await (await PostgresFixture.GetAsync()).CreateMigratedContextFactoryAsync(database);
        var secrets = new FixedSecretValues();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-26T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var cache = new SecretMaskerCache(secrets, time);
        var recorder = new BuildLogRecorder(contexts, new BuildLogFeed(), new LogSequences(), cache, time, NullLogger<BuildLogRecorder>.Instance);
        return (recorder, cache, secrets, time);
    }
}
