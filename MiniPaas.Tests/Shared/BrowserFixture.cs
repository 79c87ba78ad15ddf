using Microsoft.Playwright;

namespace MiniPaas.Tests.Shared;

/// <summary>One headless Debian Chromium for a test class, driven by Playwright (no browser download).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        // The app under test listens on 127.0.0.1 only, but Chromium tries ::1 first for *.localhost, where another process on this
        // shared machine may hold the same port number (seen: a stranger's container answered an app URL). Pin app hosts to IPv4.
        "--host-resolver-rules=MAP *.localhost 127.0.0.1",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Browser tests need Chromium at {ChromiumPath} (Debian package 'chromium'); it is missing.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A page in a fresh context (own cookies and storage), not signed in, optionally preferring a colour scheme.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ColorScheme = colorScheme,
        });
        return await context.NewPageAsync();
    }

    /// <summary>A page in a fresh context signed in with <paramref name="session"/> (see <see cref="OwnerSignIn"/>).</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, System.Net.Cookie session, ColorScheme colorScheme = ColorScheme.Light)
    {
        var page = await NewPageAsync(baseAddress, colorScheme);
        await OwnerSignIn.AddToAsync(page.Context, baseAddress, session);
        return page;
    }

    /// <summary>A page in a fresh context, signed in to <paramref name="app"/> as its owner: what dashboard tests start from.</summary>
    public async Task<IPage> NewOwnerPageAsync(AppFixture app, ColorScheme colorScheme = ColorScheme.Light)
    {
        ArgumentNullException.ThrowIfNull(app);
        return await NewPageAsync(app.BaseAddress, await app.SignInOwnerAsync(), colorScheme);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
