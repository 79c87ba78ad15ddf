namespace MiniPaas.Core.Logs;

/// <summary>Replaces every known secret value of 4+ characters with <c>***</c>, longest first so a value containing another is masked whole.</summary>
public sealed class SecretMasker
{
    public const string Mask = "***";
    public const int MinimumLength = 4;

    private readonly string[] _values;

    public SecretMasker(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        // Shorter values would mask ordinary words ("true", "1") everywhere and make logs unreadable without protecting much.
        _values = [.. values
            .Where(v => v.Length >= MinimumLength)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length)];
    }

    public static SecretMasker None { get; } = new([]);

    public bool IsEmpty => _values.Length == 0;

    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var value in _values)
        {
            if (text.Contains(value, StringComparison.Ordinal))
            {
                text = text.Replace(value, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}

/// <summary>Caches each project's <see cref="SecretMasker"/> for a short while, so variables changed later are masked soon without a query per line.</summary>
public sealed class SecretMaskerCache(ISecretValues secrets, TimeProvider timeProvider)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, (SecretMasker Masker, DateTimeOffset Until)> _byProject = new();

    public async ValueTask<SecretMasker> GetAsync(long projectId, CancellationToken ct = default)
    {
        var now = timeProvider.GetUtcNow();
        if (_byProject.TryGetValue(projectId, out var cached) && cached.Until > now)
        {
            return cached.Masker;
        }

        var masker = new SecretMasker(await secrets.GetAsync(projectId, ct).ConfigureAwait(false));
        _byProject[projectId] = (masker, now + Lifetime);
        return masker;
    }

    /// <summary>Forgets a project's values (after its variables changed).</summary>
    public void Invalidate(long projectId) => _byProject.TryRemove(projectId, out _);
}
