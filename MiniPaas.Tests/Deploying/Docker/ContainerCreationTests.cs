using MiniPaas.Core.Configuration;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Deploying.Docker;

namespace MiniPaas.Tests.Deploying.Docker;

public sealed class ContainerCreationTests
{
    private static readonly RuntimeOptions Options = new()
    {
        DefaultLimits = new ContainerLimitsOptions { Cpus = 1, MemoryMiB = 512, Pids = 256 },
        MaxLimits = new ContainerLimitsOptions { Cpus = 2, MemoryMiB = 2048, Pids = 1024 },
    };

    [Fact]
    public void Parameters_AnySpec_DropsEveryCapabilityButTheWebSetAndMountsNothing()
    {
        var host = ContainerCreation.Parameters(Spec(null, null), Options, "host", 41000, null).HostConfig;

        Assert.Equal(["ALL"], host.CapDrop);
        Assert.Equal(["CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "NET_BIND_SERVICE", "SETGID", "SETUID"], host.CapAdd.Order(StringComparer.Ordinal));
        Assert.False(host.Privileged);
        Assert.Equal(["no-new-privileges"], host.SecurityOpt);
        Assert.Empty(host.Mounts);
        Assert.Empty(host.Binds);
        Assert.Null(host.VolumesFrom);
        Assert.Null(host.Devices);
    }

    [Fact]
    public void Parameters_ProjectWithoutLimits_GetsTheDefaultsNeverUnlimited()
    {
        var host = ContainerCreation.Parameters(Spec(null, null), Options, "host", 41000, null).HostConfig;

        Assert.Equal(1_000_000_000L, host.NanoCPUs);
        Assert.Equal(512L * 1024 * 1024, host.Memory);
        Assert.Equal(host.Memory, host.MemorySwap);
        Assert.Equal(256L, host.PidsLimit);
    }

    [Fact]
    public void Parameters_ProjectAboveTheMaximum_HeldToTheMaximum()
    {
        var host = ContainerCreation.Parameters(Spec(3.5, 4096), Options, "host", 41000, null).HostConfig;

        Assert.Equal(2_000_000_000L, host.NanoCPUs);
        Assert.Equal(2048L * 1024 * 1024, host.Memory);
    }

    [Fact]
    public void Parameters_ProjectWithinTheMaximum_GetsItsOwnValues()
    {
        var host = ContainerCreation.Parameters(Spec(0.25, 64), Options, "host", 41000, null).HostConfig;

        Assert.Equal(250_000_000L, host.NanoCPUs);
        Assert.Equal(64L * 1024 * 1024, host.Memory);
        Assert.Equal(256L, host.PidsLimit);
    }

    private static ContainerSpec Spec(double? cpus, long? memoryMiB) => new(
        "minipaas-app-1",
        "minipaas/app:1",
        new Dictionary<string, string> { ["A"] = "1" },
        new Dictionary<string, string> { [ContainerLabels.Project] = "1" },
        0,
        cpus,
        memoryMiB);
}
