using MiniPaas.Core.Configuration;
using MiniPaas.Core.Projects;

namespace MiniPaas.Tests.Projects;

public sealed class ProjectSpecValidatorTests
{
    private static readonly ProjectSpec Valid = new(
        Name: "My App",
        Subdomain: "my-app",
        SourceUrl: "https://github.com/owner/repo.git",
        Branch: "main",
        RootDirectory: "./apps/web/",
        DockerfilePath: "docker/Dockerfile",
        PortOverride: 8080,
        HealthCheckPath: "/health",
        CpuLimit: 0.5,
        MemoryLimitMiB: 256,
        AutoDeploy: true);

    [Fact]
    public void Validate_ValidSpec_NoErrorsAndNormalized()
    {
        var result = ProjectSpecValidator.Validate(Valid with { Name = "  My App ", Subdomain = " my-app " }, processorCount: 2);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(Valid with { RootDirectory = "apps/web" }, result.Normalized);
    }

    [Fact]
    public void Validate_EmptyOptionalFields_NormalizedToDefaults()
    {
        var result = ProjectSpecValidator.Validate(
            new ProjectSpec("app", "app1", "git@github.com:o/r.git", RootDirectory: null, DockerfilePath: "  ", HealthCheckPath: " "));
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal("", result.Normalized!.RootDirectory);
        Assert.Null(result.Normalized.DockerfilePath);
        Assert.Null(result.Normalized.HealthCheckPath);
    }

    [Fact]
    public void Validate_EveryFieldWrong_AllErrorsReportedAtOnce()
    {
        var spec = new ProjectSpec(
            Name: "bad/name",
            Subdomain: "../admin",
            SourceUrl: "--upload-pack=touch /tmp/x",
            Branch: "main;touch /tmp/x",
            RootDirectory: "../../etc",
            DockerfilePath: "/etc/passwd",
            PortOverride: 70000,
            HealthCheckPath: "health check",
            CpuLimit: 0.01,
            MemoryLimitMiB: 8);

        var result = ProjectSpecValidator.Validate(spec, processorCount: 2);

        Assert.False(result.IsValid);
        Assert.Null(result.Normalized);
        Assert.Equal(
            new[]
            {
                nameof(ProjectSpec.Branch), nameof(ProjectSpec.CpuLimit), nameof(ProjectSpec.DockerfilePath), nameof(ProjectSpec.HealthCheckPath),
                nameof(ProjectSpec.MemoryLimitMiB), nameof(ProjectSpec.Name), nameof(ProjectSpec.PortOverride), nameof(ProjectSpec.RootDirectory),
                nameof(ProjectSpec.SourceUrl), nameof(ProjectSpec.Subdomain),
            },
            result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("'-'", result.Errors[nameof(ProjectSpec.SourceUrl)], StringComparison.Ordinal);
        Assert.Contains("'..'", result.Errors[nameof(ProjectSpec.RootDirectory)], StringComparison.Ordinal);
        Assert.Contains("65535", result.Errors[nameof(ProjectSpec.PortOverride)], StringComparison.Ordinal);
        Assert.Contains("16 MiB", result.Errors[nameof(ProjectSpec.MemoryLimitMiB)], StringComparison.Ordinal);
        Assert.Contains("between 0.05 and 2", result.Errors[nameof(ProjectSpec.CpuLimit)], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Validate_PortOutOfRange_Refused(int port) =>
        Assert.True(ProjectSpecValidator.Validate(Valid with { PortOverride = port }).Errors.ContainsKey(nameof(ProjectSpec.PortOverride)));

    [Theory]
    [InlineData(1)]
    [InlineData(65535)]
    public void Validate_PortAtBounds_Accepted(int port) =>
        Assert.True(ProjectSpecValidator.Validate(Valid with { PortOverride = port }).IsValid);

    [Theory]
    [InlineData("health", "start with '/'")]
    [InlineData("/a b", "spaces")]
    [InlineData("//evil.example/x", "'//'")]
    public void Validate_BadHealthCheckPath_Refused(string path, string expected) =>
        Assert.Contains(expected, ProjectSpecValidator.Validate(Valid with { HealthCheckPath = path }).Errors[nameof(ProjectSpec.HealthCheckPath)], StringComparison.Ordinal);

    [Fact]
    public void Validate_CpuAboveCores_Refused()
    {
        Assert.False(ProjectSpecValidator.Validate(Valid with { CpuLimit = 3 }, processorCount: 2).IsValid);
        Assert.True(ProjectSpecValidator.Validate(Valid with { CpuLimit = 2 }, processorCount: 2).IsValid);
        Assert.False(ProjectSpecValidator.Validate(Valid with { CpuLimit = double.NaN }, processorCount: 2).IsValid);
    }

    [Fact]
    public void Validate_LimitsAboveConfiguredMaximum_RefusedNamingTheMaximum()
    {
        var max = new ContainerLimitsOptions { Cpus = 1, MemoryMiB = 1024, Pids = 512 };

        var result = ProjectSpecValidator.Validate(Valid with { CpuLimit = 1.5, MemoryLimitMiB = 2048 }, processorCount: 4, maxLimits: max);

        Assert.Equal(
            "The CPU limit must be between 0.05 and 1 (the maximum MiniPaas allows, MiniPaas:Runtime:MaxLimits:Cpus).",
            result.Errors[nameof(ProjectSpec.CpuLimit)]);
        Assert.Equal(
            "The memory limit can be at most 1024 MiB (the maximum MiniPaas allows, MiniPaas:Runtime:MaxLimits:MemoryMiB).",
            result.Errors[nameof(ProjectSpec.MemoryLimitMiB)]);
    }

    [Fact]
    public void Validate_LimitsAtTheMaximumOrBelow_Accepted()
    {
        var max = new ContainerLimitsOptions { Cpus = 1, MemoryMiB = 1024, Pids = 512 };

        Assert.True(ProjectSpecValidator.Validate(Valid with { CpuLimit = 1, MemoryLimitMiB = 1024 }, processorCount: 4, maxLimits: max).IsValid);
        Assert.True(ProjectSpecValidator.Validate(Valid with { CpuLimit = 0.25, MemoryLimitMiB = 64 }, processorCount: 4, maxLimits: max).IsValid);
    }

    [Fact]
    public void Validate_MaximumAboveTheMachine_CoresStillBoundTheCpu()
    {
        var max = new ContainerLimitsOptions { Cpus = 8, MemoryMiB = 1024, Pids = 512 };

        var result = ProjectSpecValidator.Validate(Valid with { CpuLimit = 3 }, processorCount: 2, maxLimits: max);

        Assert.Contains("between 0.05 and 2 (the cores of this machine)", result.Errors[nameof(ProjectSpec.CpuLimit)], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a;b")]
    [InlineData("<script>")]
    public void Validate_BadName_Refused(string name) =>
        Assert.True(ProjectSpecValidator.Validate(Valid with { Name = name }).Errors.ContainsKey(nameof(ProjectSpec.Name)));

    [Fact]
    public void Validate_NameLongerThan64_Refused()
    {
        Assert.True(ProjectSpecValidator.Validate(Valid with { Name = new string('n', 64) }).IsValid);
        Assert.Contains("64", ProjectSpecValidator.Validate(Valid with { Name = new string('n', 65) }).Errors[nameof(ProjectSpec.Name)], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TakenSubdomainAndName_ReportedAtTheirFields()
    {
        string? askedSubdomain = null;
        var result = ProjectSpecValidator.Validate(
            Valid with { Subdomain = " my-app " },
            isSubdomainTaken: s => (askedSubdomain = s) == "my-app",
            isNameTaken: n => n == "My App");
        Assert.Equal("my-app", askedSubdomain);
        Assert.Contains("already used", result.Errors[nameof(ProjectSpec.Subdomain)], StringComparison.Ordinal);
        Assert.Contains("already exists", result.Errors[nameof(ProjectSpec.Name)], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InvalidSubdomain_DoesNotAskTheDatabase()
    {
        var asked = false;
        ProjectSpecValidator.Validate(Valid with { Subdomain = "Admin" }, isSubdomainTaken: _ => asked = true);
        Assert.False(asked);
    }
}
