namespace MiniPaas.Core.Configuration;

/// <summary>Top-level settings bound from the <c>MiniPaas</c> section.</summary>
public sealed class MiniPaasOptions
{
    public const string SectionName = "MiniPaas";

    /// <summary>Where MiniPaas keeps its private database cluster, logs and work folders. Default: <c>~/.minipaas</c>.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>The data directory with <c>~</c> expanded and made absolute.</summary>
    public string ResolvedDataDirectory => Path.GetFullPath(ExpandHome(DataDirectory));

    internal static string DefaultDataDirectory() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".minipaas");

    internal static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}

/// <summary>Settings of <c>MiniPaas:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "MiniPaas:Database";

    /// <summary>PostgreSQL connection string; empty means the embedded default (private cluster, else a container). Default: empty.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder holding <c>initdb</c> and <c>pg_ctl</c>; empty means search the usual Debian/Ubuntu/Homebrew places and PATH. Default: empty.</summary>
    public string? ServerBinDirectory { get; set; }

    /// <summary>Image of the fallback PostgreSQL container. Default: <c>postgres:15-alpine</c>.</summary>
    public string ContainerImage { get; set; } = "postgres:15-alpine";
}

/// <summary>Settings of <c>MiniPaas:Docker</c>.</summary>
public sealed class DockerOptions
{
    public const string SectionName = "MiniPaas:Docker";

    /// <summary>Docker engine endpoint. Default: <c>unix:///var/run/docker.sock</c>.</summary>
    public string Endpoint { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>How often the engine is probed for reachability. Default: 5 s.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>How deployments reach the network (<c>MiniPaas:Runtime</c>).</summary>
public sealed class RuntimeOptions
{
    public const string SectionName = "MiniPaas:Runtime";

    /// <summary><c>bridge</c> (user network, reached by address) or <c>host</c> (a free loopback port through PORT). Default: <c>bridge</c>.</summary>
    public string NetworkMode { get; set; } = "bridge";

    /// <summary>Name of the user network in bridge mode. Default: <c>minipaas</c>.</summary>
    public string BridgeNetwork { get; set; } = "minipaas";

    /// <summary>Port apps listen on in bridge mode (given as PORT). Default: 8080.</summary>
    public int ContainerPort { get; set; } = 8080;

    /// <summary>How long a new container may take to become healthy. Default: 60 s.</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the old container keeps running after the route switched, to drain requests. Default: 2 s.</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Images kept per project for rollback. Default: 5.</summary>
    public int KeepImagesPerProject { get; set; } = 5;

    /// <summary>How often the reconciler compares the database with the engine. Default: 30 s.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most size of one container log file (json-file driver <c>max-size</c>). Default: <c>10m</c>.</summary>
    public string LogMaxSize { get; set; } = "10m";

    /// <summary>Container log files kept per container (json-file driver <c>max-file</c>). Default: 3.</summary>
    public int LogMaxFiles { get; set; } = 3;

    /// <summary>Limits of an app container whose project sets none. Default: 1 CPU, 512 MiB, 256 processes.</summary>
    public ContainerLimitsOptions DefaultLimits { get; set; } = ContainerLimitsOptions.Defaults();

    /// <summary>The most a project may set for itself. Default: every core of this machine, 4096 MiB, 4096 processes.</summary>
    public ContainerLimitsOptions MaxLimits { get; set; } = ContainerLimitsOptions.Maximum();

    public bool IsHostNetwork => string.Equals(NetworkMode, "host", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Settings of the ingress (<c>MiniPaas:Ingress</c>).</summary>
public sealed class IngressOptions
{
    public const string SectionName = "MiniPaas:Ingress";

    /// <summary><c>Yarp</c> (embedded) or <c>Traefik</c>. Default: <c>Yarp</c>.</summary>
    public string Mode { get; set; } = "Yarp";

    /// <summary>Port of <c>http://&lt;subdomain&gt;.&lt;AppsDomain&gt;</c>; null means 80 when it can bind, else 8080. Default: null.</summary>
    public int? Port { get; set; }

    /// <summary>Domain under which apps live. Default: <c>localhost</c>.</summary>
    public string AppsDomain { get; set; } = "localhost";

    /// <summary>True when Traefik (not the embedded YARP ingress) serves the apps.</summary>
    public bool IsTraefik => string.Equals(Mode, "Traefik", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Settings of the image builder (<c>MiniPaas:Builder</c>).</summary>
public sealed class BuilderOptions
{
    public const string SectionName = "MiniPaas:Builder";

    /// <summary>Base image per detected stack (node, python, go, dotnet, dotnet-sdk, ruby, php, static). Missing keys use current official images.</summary>
    public Dictionary<string, string> BaseImages { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Parallel builds. Default: 1.</summary>
    public int MaxConcurrentBuilds { get; set; } = 1;

    /// <summary>Network mode of RUN steps (e.g. <c>host</c> where the engine has no bridge). Default: engine default.</summary>
    public string? NetworkMode { get; set; }

    /// <summary>Longest a build may take. Default: 15 min.</summary>
    public TimeSpan BuildTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>CPU quota of a build in CPUs (so builds never starve running apps). Default: 1.</summary>
    public double BuildCpus { get; set; } = 1;

    /// <summary>
    /// Memory limit of a build in MiB (swap included, so a build cannot spill into swap). The engine's legacy builder applies
    /// it, with <see cref="BuildCpus"/>, to the container of every <c>RUN</c> step. Default: 2048.
    /// </summary>
    public long BuildMemoryMiB { get; set; } = 2048;

    /// <summary>
    /// Largest checkout file MiniPaas itself reads (probe manifests, <c>.dockerignore</c>, variable suggestion sources); larger
    /// files are skipped with a note in the build log. Default: 1 MB (1048576).
    /// </summary>
    public long MaxCheckoutFileBytes { get; set; } = Checkouts.CheckoutFiles.DefaultMaxFileBytes;

    /// <summary>Longest a clone (with the fetch of a pinned commit) may take; git is killed when it is reached. Default: 10 min.</summary>
    public TimeSpan CloneTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Most bytes a checkout (working tree and <c>.git</c>) may take on disk; git is killed when it is reached. Default: 1 GiB.</summary>
    public long MaxCloneBytes { get; set; } = 1L << 30;

    /// <summary>Longest build-log line kept, in characters; longer lines are cut and marked (as runtime lines are). Default: 16,384 (16 KB).</summary>
    public int MaxBuildLogLineLength { get; set; } = 16 * 1024;

    /// <summary>Most lines of output (git's and the build's) stored per build; the rest are counted in one notice. Default: 200,000.</summary>
    public int MaxBuildLogLines { get; set; } = 200_000;

    /// <summary>Most bytes of output (git's and the build's) stored per build; the rest are counted in one notice. Default: 50 MB.</summary>
    public long MaxBuildLogBytes { get; set; } = 50L * 1024 * 1024;
}
