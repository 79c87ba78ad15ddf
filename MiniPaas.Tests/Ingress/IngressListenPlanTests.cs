using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Web.Ingress;
using MiniPaas.Core.Networking;

namespace MiniPaas.Tests.Ingress;

public sealed class IngressListenPlanTests
{
    [Fact]
    public void Create_NoUrlsAndPort80Free_DashboardOn3000AndIngressOn80()
    {
        var plan = IngressListenPlan.Create(null, new IngressOptions(), canBind: (_, _) => true);

        Assert.Equal(["http://localhost:3000", "http://localhost:80"], plan.AllUrls);
        Assert.Equal(80, plan.Ingress.Port);
        Assert.True(plan.IsIngressPortAutomatic);
        Assert.Equal(new Uri("http://localhost:3000/"), plan.DashboardUrl);
        Assert.Contains("localhost", plan.DashboardHosts);
    }

    [Fact]
    public void Create_Port80Taken_FallsBackTo8080()
    {
        var plan = IngressListenPlan.Create(null, new IngressOptions(), canBind: (_, port) => port != 80);

        Assert.Equal(8080, plan.Ingress.Port);
    }

    [Fact]
    public void Create_ConfiguredPort_UsesItWithoutProbing()
    {
        var plan = IngressListenPlan.Create(
            "http://*:4000;http://127.0.0.1:4001", new IngressOptions { Port = 9090 }, canBind: (_, _) => throw new InvalidOperationException());

        Assert.Equal(["http://*:4000", "http://127.0.0.1:4001", "http://localhost:9090"], plan.AllUrls);
        Assert.False(plan.IsIngressPortAutomatic);
        Assert.Equal(new Uri("http://localhost:4000/"), plan.DashboardUrl);
        Assert.Equal(IPAddress.Any, plan.Dashboard[0].ProbeAddress);
        Assert.Equal(IPAddress.Loopback, plan.Dashboard[1].ProbeAddress);
    }

    [Fact]
    public void Create_RealDomain_IngressListensOnAllAddresses()
    {
        var plan = IngressListenPlan.Create(null, new IngressOptions { Port = 8081, AppsDomain = "apps.example.com" });

        Assert.Equal("http://*:8081", plan.Ingress.Url);
        Assert.Equal(IPAddress.Any, plan.Ingress.ProbeAddress);
    }

    [Fact]
    public void Create_OnlyDashboardUrlOnTheIngressPort_ThrowsInvalidConfiguration()
    {
        // The ingress port serves apps only, so a dashboard there would be unreachable.
        var ex = Assert.Throws<OptionsValidationException>(() => IngressListenPlan.Create("http://localhost:8080", new IngressOptions { Port = 8080 }));

        Assert.Contains("serves apps only", Assert.Single(ex.Failures), StringComparison.Ordinal);
        Assert.StartsWith("Invalid configuration: ", MiniPaas.Web.Hosting.StartupFailure.Describe(ex), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UrlsNameTheIngressPortToo_ThatUrlIsTheIngressListener()
    {
        var plan = IngressListenPlan.Create("http://127.0.0.1:4000;http://127.0.0.1:9090", new IngressOptions { Port = 9090 });

        Assert.Equal(["http://127.0.0.1:4000"], plan.Dashboard.Select(a => a.Url));
        Assert.Equal("http://127.0.0.1:9090", plan.Ingress.Url);
        Assert.True(plan.Ingress.IsIngress);
        Assert.Equal(["http://127.0.0.1:4000", "http://127.0.0.1:9090"], plan.AllUrls);
    }

    [Fact]
    public void Create_AutomaticPortWhileTheDashboardHas80_IngressTakes8080()
    {
        var plan = IngressListenPlan.Create("http://localhost:80", new IngressOptions(), canBind: (_, _) => true);

        Assert.Equal(8080, plan.Ingress.Port);
        Assert.Equal(["http://localhost:80"], plan.Dashboard.Select(a => a.Url));
    }

    [Fact]
    public void EnsurePortsFree_DashboardPortTaken_ThrowsOneLineWithUrlsHint()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var plan = IngressListenPlan.Create($"http://localhost:{port}", new IngressOptions { Port = LoopbackPort.Free() });

        var ex = Assert.Throws<PortInUseException>(plan.EnsurePortsFree);

        Assert.Matches($@"^Port {port} is already in use: stop the other program or start with --urls http://localhost:\d+$", ex.Message);
        Assert.Equal(port, ex.Port);
        var suggested = int.Parse(ex.Message[(ex.Message.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(port, suggested);
        Assert.NotEqual(plan.Ingress.Port, suggested);
        Assert.Equal(SocketError.Success, PortProbe.TryBind(IPAddress.Loopback, suggested));
    }

    [Fact]
    public void EnsurePortsFree_IngressPortTaken_ThrowsOneLineWithSettingHint()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var plan = IngressListenPlan.Create($"http://127.0.0.1:{LoopbackPort.Free()}", new IngressOptions { Port = port });

        var ex = Assert.Throws<PortInUseException>(plan.EnsurePortsFree);

        Assert.StartsWith($"Port {port} is already in use", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MiniPaas__Ingress__Port", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void EnsurePortsFree_AllFree_DoesNotThrow()
    {
        var plan = IngressListenPlan.Create($"http://127.0.0.1:{LoopbackPort.Free()}", new IngressOptions { Port = LoopbackPort.Free() });

        plan.EnsurePortsFree();

        Assert.Equal(SocketError.Success, PortProbe.TryBind(IPAddress.Loopback, plan.Ingress.Port));
    }
}
