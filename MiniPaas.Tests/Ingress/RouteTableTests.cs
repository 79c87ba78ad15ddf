using MiniPaas.Core.Ingress;

namespace MiniPaas.Tests.Ingress;

public sealed class RouteTableTests
{
    [Fact]
    public void SetUpstream_MixedCaseSubdomain_FoundCaseInsensitively()
    {
        var table = new RouteTable();

        table.SetUpstream("Demo", projectId: 7, deploymentId: 42, upstream: "127.0.0.1:41234");

        var route = table.Find("DEMO");
        Assert.NotNull(route);
        Assert.Equal(new AppRoute("demo", 7, 42, "127.0.0.1:41234", "Running"), route);
        Assert.Same(route, table.Find("demo"));
    }

    [Fact]
    public void SetUnavailable_KnownSubdomain_KeepsItWithoutUpstream()
    {
        var table = new RouteTable();
        table.SetUpstream("demo", 7, 42, "127.0.0.1:41234");

        table.SetUnavailable("demo", 7, "Building");

        var route = Assert.Single(table.Snapshot());
        Assert.Null(route.Upstream);
        Assert.Null(route.DeploymentId);
        Assert.Equal("Building", route.Status);
    }

    [Fact]
    public void Remove_KnownSubdomain_ForgetsIt()
    {
        var table = new RouteTable();
        table.SetUpstream("demo", 7, 42, "127.0.0.1:41234");
        table.SetUpstream("other", 8, 43, "127.0.0.1:41235");

        table.Remove("DEMO");

        Assert.Null(table.Find("demo"));
        Assert.Equal("other", Assert.Single(table.Snapshot()).Subdomain);
    }

    [Fact]
    public void Remove_UnknownSubdomain_RaisesNoChange()
    {
        var table = new RouteTable();
        var changes = 0;
        table.Changed += _ => changes++;

        table.Remove("ghost");

        Assert.Equal(0, changes);
        Assert.Equal(0, table.Current.Version);
    }

    [Fact]
    public void SetUpstream_SameValuesTwice_RaisesOneChange()
    {
        var table = new RouteTable();
        var versions = new List<long>();
        table.Changed += s => versions.Add(s.Version);

        table.SetUpstream("demo", 7, 42, "127.0.0.1:41234");
        table.SetUpstream("DEMO", 7, 42, "127.0.0.1:41234");

        Assert.Equal([1L], versions);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://127.0.0.1:80/")]
    [InlineData("127.0.0.1:80/path")]
    public void SetUpstream_NotHostAndPort_Throws(string upstream)
    {
        var table = new RouteTable();

        Assert.ThrowsAny<ArgumentException>(() => table.SetUpstream("demo", 7, 42, upstream));
        Assert.Empty(table.Snapshot());
    }

    [Fact]
    public void Current_SnapshotTakenBeforeChanges_NeverChanges()
    {
        var table = new RouteTable();
        table.SetUpstream("demo", 7, 42, "127.0.0.1:41234");
        var before = table.Current;

        table.SetUpstream("demo", 7, 43, "127.0.0.1:41235");
        table.SetUpstream("other", 8, 44, "127.0.0.1:41236");

        Assert.Equal(1, before.Version);
        Assert.Equal(42, Assert.Single(before.Routes.Values).DeploymentId);
        Assert.Equal(3, table.Current.Version);
        Assert.Equal(43, table.Current.Find("demo")!.DeploymentId);
    }

    [Fact]
    public void GetChangeToken_NextChange_Fires()
    {
        var table = new RouteTable();
        var token = table.GetChangeToken();
        Assert.False(token.HasChanged);

        table.SetUnavailable("demo", 7, "Building");

        Assert.True(token.HasChanged);
        Assert.False(table.GetChangeToken().HasChanged);
    }

    [Fact]
    public async Task SetUpstream_ConcurrentWritersAndReaders_EveryChangeCountedAndSnapshotsConsistent()
    {
        var table = new RouteTable();
        using var stop = new CancellationTokenSource();
        var inconsistent = 0;

        // Each writer keeps two routes of its own pair pointing at the same deployment; a reader must never see them differ.
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var snapshot = table.Current;
                for (var w = 0; w < 4; w++)
                {
                    var a = snapshot.Find($"a{w}");
                    var b = snapshot.Find($"b{w}");
                    if (a is not null && b is not null && a.DeploymentId > b.DeploymentId + 1)
                    {
                        Interlocked.Increment(ref inconsistent);
                    }
                }
            }
        });
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 1; i <= 500; i++)
            {
                table.SetUpstream($"a{w}", w, i, $"127.0.0.1:{10000 + i}");
                table.SetUpstream($"b{w}", w, i, $"127.0.0.1:{10000 + i}");
            }
        })).ToArray();

        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await reader;

        Assert.Equal(4 * 500 * 2, table.Current.Version);
        Assert.Equal(8, table.Snapshot().Count);
        Assert.All(table.Snapshot(), r => Assert.Equal(500, r.DeploymentId));
        Assert.Equal(0, inconsistent);
    }

    [Fact]
    public async Task WatchRoutesAsync_Changes_YieldsCurrentThenEachChange()
    {
        var table = new RouteTable();
        table.SetUpstream("demo", 7, 42, "127.0.0.1:41234");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var watch = table.WatchRoutesAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal("demo", Assert.Single(watch.Current).Subdomain);

        var next = watch.MoveNextAsync().AsTask();
        Assert.False(next.IsCompleted);
        table.SetUnavailable("demo", 7, "Stopped");

        Assert.True(await next);
        Assert.Equal("Stopped", Assert.Single(watch.Current).Status);
    }
}
