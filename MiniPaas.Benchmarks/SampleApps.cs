namespace MiniPaas.Benchmarks;

/// <summary>
/// The apps deployed. Each embeds a marker in what it serves and in the file its first COPY takes, so a new marker means
/// no cached layer from that COPY on (the definition of "cold"), and the poll knows the answer came from this build.
/// </summary>
public sealed record SampleApp(string Kind, Func<string, IReadOnlyDictionary<string, string>> Files)
{
    /// <summary>A Dockerfile repo: busybox httpd serving one page.</summary>
    public static SampleApp BusyboxDockerfile { get; } = new("busybox + Dockerfile", marker => new Dictionary<string, string>
    {
        [".dockerignore"] = ".git\n",
        ["Dockerfile"] = $"""
            FROM {BaseImages.Busybox}
            COPY index.html /www/index.html
            CMD ["sh", "-c", "exec httpd -f -p $PORT -h /www"]
            """,
        ["index.html"] = marker,
    });

    /// <summary>A Node repo without a Dockerfile: MiniPaas generates one (the hand baseline reuses that same text).</summary>
    public static SampleApp NodeGenerated { get; } = new("node, generated Dockerfile", marker => new Dictionary<string, string>
    {
        [".dockerignore"] = ".git\nnode_modules\n",
        // The marker in package.json makes the manifest COPY (and so npm install) miss the cache when cold.
        ["package.json"] = $$"""{ "name": "bench-app", "version": "1.0.0", "description": "{{marker}}", "scripts": { "start": "node server.js" } }""",
        ["server.js"] = $$"""
            const marker = require('./package.json').description;
            require('http').createServer((req, res) => res.end(marker)).listen(process.env.PORT);
            """,
    });
}
