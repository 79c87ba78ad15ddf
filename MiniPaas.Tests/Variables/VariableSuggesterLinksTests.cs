using MiniPaas.Core.Checkouts;
using MiniPaas.Core.Variables;
using MiniPaas.Tests.Checkouts;

namespace MiniPaas.Tests.Variables;

/// <summary>The suggester reads only the checkout: links out of it, linked folders and special files are never read.</summary>
public sealed class VariableSuggesterLinksTests : IDisposable
{
    private readonly CheckoutFolder _checkout = new();

    public void Dispose() => _checkout.Dispose();

    [Fact]
    public void Scan_ExampleFileLinkedToHostEnvironment_NotReadAndReported()
    {
        _checkout.Link(".env.example", "/proc/self/environ").File("app.js", "process.env.API_URL\n");

        var scan = VariableSuggester.Scan(_checkout.Root);

        // The process's own variables (PATH, HOME, ...) would be suggested if the link were followed.
        Assert.Equal(["API_URL"], scan.Suggestions.Select(s => s.Key));
        var skipped = Assert.Single(scan.Skipped);
        Assert.Equal((".env.example", CheckoutRefusal.OutsideCheckout), (skipped.Path, skipped.Refusal));
    }

    [Fact]
    public void Scan_FolderLinkedOutside_NeverEntered()
    {
        _checkout.OutsideFile("config.js", "process.env.HOST_ONLY_SECRET\n");
        _checkout.Link("src", _checkout.Outside).Link("again", "src").File("index.js", "process.env.OWN\n");

        var scan = VariableSuggester.Scan(_checkout.Root);

        Assert.Equal(["OWN"], scan.Suggestions.Select(s => s.Key));
    }

    [Fact]
    public async Task Scan_SourceLinkedToDevZeroAndAFifo_FinishesAndReportsBoth()
    {
        _checkout.Link("bundle.js", "/dev/zero").File("server.js", "process.env.PORT_NAME\n");
        await _checkout.RunAsync("mkfifo", "pipe.js");

        var scan = Task.Run(() => VariableSuggester.Scan(_checkout.Root));
        Assert.Same(scan, await Task.WhenAny(scan, Task.Delay(TimeSpan.FromSeconds(30))));

        Assert.Equal(["PORT_NAME"], (await scan).Suggestions.Select(s => s.Key));
        Assert.Equal([("bundle.js", CheckoutRefusal.OutsideCheckout), ("pipe.js", CheckoutRefusal.NotRegularFile)],
            (await scan).Skipped.Select(n => (n.Path, n.Refusal)));
    }

    [Fact]
    public void Scan_LinkInsideTheCheckoutAndBigBundle_InsideReadBigSkippedQuietly()
    {
        _checkout.File("lib/settings.py", "os.environ['DJANGO_KEY']\n").Link("settings.py", "lib/settings.py")
            .File("dist.js", "process.env.BUNDLED\n" + new string('x', (int)VariableSuggester.MaxFileBytes));

        var scan = VariableSuggester.Scan(_checkout.Root);

        var key = Assert.Single(scan.Suggestions);
        Assert.Equal("DJANGO_KEY", key.Key);
        Assert.Equal(["lib/settings.py", "settings.py"], key.Sources.Select(s => s.File).Order(StringComparer.Ordinal));
        Assert.Empty(scan.Skipped);
    }
}
