using MiniPaas.Core.Configuration;

namespace MiniPaas.Tests.Configuration;

public sealed class OptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new MiniPaasOptionsValidator().Validate(null, new MiniPaasOptions()).Succeeded);
        Assert.True(new DockerOptionsValidator().Validate(null, new DockerOptions()).Succeeded);
        Assert.True(new RuntimeOptionsValidator().Validate(null, new RuntimeOptions()).Succeeded);
        Assert.True(new IngressOptionsValidator().Validate(null, new IngressOptions()).Succeeded);
        Assert.True(new BuilderOptionsValidator().Validate(null, new BuilderOptions()).Succeeded);
    }

    [Theory]
    [InlineData("unix:///var/run/docker.sock", true)]
    [InlineData("tcp://127.0.0.1:2375", true)]
    [InlineData("npipe://./pipe/docker_engine", true)]
    [InlineData("http://127.0.0.1:2375", false)]
    [InlineData("/var/run/docker.sock", false)]
    public void DockerValidator_Endpoint_AcceptsOnlyEngineSchemes(string endpoint, bool valid) =>
        Assert.Equal(valid, new DockerOptionsValidator().Validate(null, new DockerOptions { Endpoint = endpoint }).Succeeded);

    [Fact]
    public void RuntimeValidator_SeveralProblems_ReportsEveryOne()
    {
        var result = new RuntimeOptionsValidator().Validate(null, new RuntimeOptions
        {
            NetworkMode = "overlay", ContainerPort = 70000, HealthTimeout = TimeSpan.Zero,
        });

        Assert.True(result.Failed);
        Assert.Equal(3, result.Failures!.Count());
    }

    [Theory]
    [InlineData("Yarp", 8080, "localhost", true)]
    [InlineData("traefik", null, "apps.example.com", true)]
    [InlineData("Nginx", null, "localhost", false)]
    [InlineData("Yarp", 0, "localhost", false)]
    [InlineData("Yarp", null, "bad_domain..", false)]
    public void IngressValidator_ModePortDomain(string mode, int? port, string domain, bool valid) =>
        Assert.Equal(valid, new IngressOptionsValidator().Validate(null, new IngressOptions { Mode = mode, Port = port, AppsDomain = domain }).Succeeded);

    [Theory]
    [InlineData(0, 1.0, false)]
    [InlineData(33, 1.0, false)]
    [InlineData(4, 0.0, false)]
    [InlineData(32, 0.5, true)]
    public void BuilderValidator_ConcurrencyAndCpus(int builds, double cpus, bool valid) =>
        Assert.Equal(valid, new BuilderOptionsValidator().Validate(null, new BuilderOptions { MaxConcurrentBuilds = builds, BuildCpus = cpus }).Succeeded);

    [Fact]
    public void BuilderValidator_UnworkableLimits_ReportsEveryOneByKey()
    {
        var result = new BuilderOptionsValidator().Validate(null, new BuilderOptions
        {
            CloneTimeout = TimeSpan.Zero,
            MaxCloneBytes = 1000,
            MaxBuildLogLineLength = 100,
            MaxBuildLogLines = 10,
            MaxBuildLogBytes = 100,
        });

        Assert.True(result.Failed);
        Assert.Equal(
            ["MiniPaas:Builder:CloneTimeout", "MiniPaas:Builder:MaxCloneBytes", "MiniPaas:Builder:MaxBuildLogLineLength", "MiniPaas:Builder:MaxBuildLogLines", "MiniPaas:Builder:MaxBuildLogBytes"],
            result.Failures!.Select(f => f.Split(' ')[0]));
    }

    [Fact]
    public void BuilderOptions_Defaults_AreTheDocumentedLimits()
    {
        var options = new BuilderOptions();

        Assert.Equal(TimeSpan.FromMinutes(10), options.CloneTimeout);
        Assert.Equal(1L << 30, options.MaxCloneBytes);
        Assert.Equal(16 * 1024, options.MaxBuildLogLineLength);
        Assert.Equal(200_000, options.MaxBuildLogLines);
        Assert.Equal(50L * 1024 * 1024, options.MaxBuildLogBytes);
    }

    [Fact]
    public void MiniPaasValidator_EmptyDataDirectory_Fails() =>
        Assert.True(new MiniPaasOptionsValidator().Validate(null, new MiniPaasOptions { DataDirectory = " " }).Failed);
}
