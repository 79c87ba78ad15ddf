namespace MiniPaas.Core.Persistence.Resolution;

/// <summary>Finds a folder holding the PostgreSQL server programs <c>initdb</c> and <c>pg_ctl</c>.</summary>
internal static class PostgresServerBinaries
{
    /// <summary>Where to look, in order: the configured folder, Debian/Ubuntu (highest version first), source installs, Homebrew, PATH.</summary>
    public static IReadOnlyList<string> CandidateDirectories(string? configured)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(configured))
        {
            candidates.Add(configured);
        }

        candidates.AddRange(VersionedBinFolders("/usr/lib/postgresql"));
        candidates.Add("/usr/local/pgsql/bin");
        foreach (var brew in new[] { "/opt/homebrew/opt", "/usr/local/opt" })
        {
            if (Directory.Exists(brew))
            {
                candidates.AddRange(Directory.EnumerateDirectories(brew, "postgresql*")
                    .OrderByDescending(d => VersionOf(Path.GetFileName(d)))
                    .Select(d => Path.Combine(d, "bin")));
            }
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return candidates;
    }

    /// <summary>The first candidate holding both programs, or null.</summary>
    public static string? Find(IEnumerable<string> candidates) =>
        candidates.FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));

    private static IEnumerable<string> VersionedBinFolders(string root) =>
        Directory.Exists(root)
            ? Directory.EnumerateDirectories(root)
                .OrderByDescending(d => VersionOf(Path.GetFileName(d)))
                .Select(d => Path.Combine(d, "bin"))
            : [];

    // "15", "postgresql@16", "postgresql@9.6" -> comparable version; folders without a number sort last.
    private static Version VersionOf(string name)
    {
        var digits = new string(name.SkipWhile(c => !char.IsAsciiDigit(c)).ToArray());
        return Version.TryParse(digits.Contains('.', StringComparison.Ordinal) ? digits : digits + ".0", out var version) ? version : new Version(0, 0);
    }
}
