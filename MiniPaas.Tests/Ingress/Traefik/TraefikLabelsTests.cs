using MiniPaas.Core.Ingress.Traefik;

namespace MiniPaas.Tests.Ingress.Traefik;

public sealed class TraefikLabelsTests
{
    [Theory]
    [InlineData("demo", "localhost", 8080, "web", "minipaas")]
    [InlineData("shop-2", "apps.example.com", 41234, "websecure", null)]
    [InlineData("a", "localhost", 1, "web_2", "my.net-1")]
    public void Build_ThenParse_RoundTrips(string subdomain, string domain, int port, string entryPoint, string? network)
    {
        var route = new TraefikRoute(subdomain, domain, port, entryPoint, network);

        var labels = TraefikLabels.Build(route);

        Assert.Equal(route, TraefikLabels.Parse(labels));
    }

    [Fact]
    public void Build_Demo_HasExactTraefikLabels()
    {
        var labels = TraefikLabels.Build(new TraefikRoute("demo", "localhost", 8080, "web", "minipaas"));

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["traefik.enable"] = "true",
                ["traefik.http.routers.minipaas-demo.rule"] = "Host(`demo.localhost`)",
                ["traefik.http.routers.minipaas-demo.entrypoints"] = "web",
                ["traefik.http.routers.minipaas-demo.service"] = "minipaas-demo",
                ["traefik.http.services.minipaas-demo.loadbalancer.server.port"] = "8080",
                ["traefik.docker.network"] = "minipaas",
            },
            labels);
    }

    [Theory]
    [InlineData("x`) || PathPrefix(`/", "localhost", 80, "web")] // rule injection through the subdomain
    [InlineData("Demo", "localhost", 80, "web")]
    [InlineData("admin", "localhost", 80, "web")] // reserved
    [InlineData("demo", "local`host", 80, "web")]
    [InlineData("demo", "Example.com", 80, "web")]
    [InlineData("demo", "localhost", 0, "web")]
    [InlineData("demo", "localhost", 70000, "web")]
    [InlineData("demo", "localhost", 80, "web,admin")]
    [InlineData("demo", "localhost", 80, "")]
    public void Build_InvalidValue_Throws(string subdomain, string domain, int port, string entryPoint)
    {
        var ex = Assert.Throws<ArgumentException>(() => TraefikLabels.Build(new TraefikRoute(subdomain, domain, port, entryPoint, null)));
        Assert.Contains("Cannot build Traefik labels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TamperedRule_IsRefused()
    {
        var labels = new Dictionary<string, string>(TraefikLabels.Build(new TraefikRoute("demo", "localhost", 8080, "web", null)))
        {
            ["traefik.http.routers.minipaas-demo.rule"] = "Host(`demo.localhost`) || PathPrefix(`/`)",
        };

        Assert.Null(TraefikLabels.Parse(labels));
    }

    [Fact]
    public void Parse_NotEnabledOrForeign_IsNull()
    {
        var labels = new Dictionary<string, string>(TraefikLabels.Build(new TraefikRoute("demo", "localhost", 8080, "web", null)));
        labels["traefik.enable"] = "false";
        Assert.Null(TraefikLabels.Parse(labels));

        // Someone else's router name (not minipaas-<subdomain>) is not ours to read back.
        Assert.Null(TraefikLabels.Parse(new Dictionary<string, string>
        {
            ["traefik.enable"] = "true",
            ["traefik.http.routers.other.rule"] = "Host(`demo.localhost`)",
            ["traefik.http.routers.other.entrypoints"] = "web",
            ["traefik.http.routers.other.service"] = "other",
            ["traefik.http.services.other.loadbalancer.server.port"] = "80",
        }));
    }
}
