using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Networking;
using MiniPaas.Core.Owner;

namespace MiniPaas.Tests.Shared;

/// <summary>
/// Runs the whole MiniPaas.Web app in-process on a real Kestrel socket on loopback, for browser and HTTP tests.
/// The app's own services are used by default; a derived fixture overrides <see cref="ConfigureServices"/> or
/// <see cref="ConfigureSettings"/> to opt into fakes or other configuration.
/// </summary>
public class AppFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _signingIn = new(1, 1);
    private DashboardFactory? _factory;
    private System.Net.Cookie? _ownerCookie;

    /// <summary>A fresh temporary <c>MiniPaas:DataDirectory</c>, removed on dispose.</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "minipaas-app-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The dashboard's base address, <c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The port given to the ingress (<c>MiniPaas:Ingress:Port</c>).</summary>
    public int IngressPort { get; private set; }

    /// <summary>PostgreSQL to use (<c>MiniPaas:Database:ConnectionString</c>); null lets the app choose its embedded default.</summary>
    protected virtual string? ConnectionString => null;

    /// <summary>The running app's services.</summary>
    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("The app is not started.");

    /// <summary>An anonymous <see cref="HttpClient"/> talking to the real socket (the dashboard answers it with sign-in).</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <summary>
    /// The owner's session cookie for this app, made once and shared by the class's tests: the first call sets the password
    /// through the set-up link the app printed to its log (<see cref="OwnerSignIn.Password"/>), or signs in if it already has one (an app
    /// restarted on the same database). Tests that sign out use <see cref="OwnerSignIn.SignInAsync"/> for a session of their own.
    /// </summary>
    public async Task<System.Net.Cookie> SignInOwnerAsync()
    {
        await _signingIn.WaitAsync();
        try
        {
            if (_ownerCookie is null)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                var owner = Services.GetRequiredService<OwnerAccounts>();
                _ownerCookie = (await owner.GetStateAsync(cts.Token)).HasPassword
                    ? await OwnerSignIn.SignInAsync(BaseAddress, ct: cts.Token)
                    : await OwnerSignIn.SetUpAsync(await Services.GetRequiredService<MiniPaas.Web.Auth.SetupLinkNotice>().WhenAnnouncedAsync(cts.Token), ct: cts.Token);
            }

            return _ownerCookie;
        }
        finally
        {
            _signingIn.Release();
        }
    }

    /// <summary>Waits until the app's log file (as an operator would read it) holds the owner set-up link, and returns the newest.</summary>
    public async Task<Uri> ReadSetupLinkFromLogAsync(CancellationToken ct = default)
    {
        var logs = Path.Combine(DataDirectory, "logs");
        while (true)
        {
            foreach (var file in Directory.Exists(logs) ? Directory.GetFiles(logs, "minipaas-*.log") : [])
            {
                // The app keeps the file open for writing.
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                if (OwnerSignIn.SetupLinkPattern().Matches(await reader.ReadToEndAsync(ct)).LastOrDefault() is { } match)
                {
                    return new Uri(match.Value);
                }
            }

            await Task.Delay(200, ct);
        }
    }

    /// <summary>An <see cref="HttpClient"/> signed in as the owner (redirects not followed).</summary>
    public async Task<HttpClient> CreateOwnerClientAsync() => OwnerSignIn.CreateClient(BaseAddress, await SignInOwnerAsync());

    /// <summary>Registrations applied after the app's own (override here).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Configuration added on top of the defaults below.</summary>
    protected virtual void ConfigureSettings(IDictionary<string, string?> settings)
    {
    }

    public virtual Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        var port = LoopbackPort.Free();
        IngressPort = LoopbackPort.Free();
        var settings = new Dictionary<string, string?>
        {
            // Both listeners spelled out: the fixture's "urls" replaces the list the ingress adds its port to at start-up.
            ["urls"] = $"http://127.0.0.1:{port};http://127.0.0.1:{IngressPort}",
            ["MiniPaas:DataDirectory"] = DataDirectory,
            ["MiniPaas:Runtime:NetworkMode"] = "host",
            // Keeps the test output readable; warnings and errors of the app still show.
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["MiniPaas:Ingress:Port"] = IngressPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (ConnectionString is { } connectionString)
        {
            settings["MiniPaas:Database:ConnectionString"] = connectionString;
        }

        ConfigureSettings(settings);
        _factory = new DashboardFactory(settings, ConfigureServices);
        _factory.UseKestrel();
        _factory.StartServer();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Log files may still be flushing; a temp folder left behind is harmless.
        }
    }


    private sealed class DashboardFactory(IDictionary<string, string?> settings, Action<IServiceCollection> configureServices)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
            builder.ConfigureTestServices(configureServices);
        }
    }
}
