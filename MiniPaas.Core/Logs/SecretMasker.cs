namespace MiniPaas.Core.Logs;

/// <summary>
/// Replaces every known secret value of <see cref="MinimumLength"/>+ characters with <c>***</c>, longest first so a value
/// containing another is masked whole. Only variables marked secret reach it (<see cref="ISecretValues"/>).
/// </summary>
public sealed class SecretMasker
{
    public const string Mask = "***";

    /// <summary>
    /// Shorter values are never masked: a secret of 5 characters or fewer is too weak to protect, and masking every
    /// occurrence of "true", "8080" or "prod" would garble logs. The editor warns when a secret is that short.
    /// </summary>
    public const int MinimumLength = 6;

    private readonly string[] _values;

    public SecretMasker(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = [.. values
            .Where(v => !IsTooShort(v))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length)];
    }

    public static SecretMasker None { get; } = new([]);

    public bool IsEmpty => _values.Length == 0;

    /// <summary>True when <paramref name="value"/> is too short to be masked (<see cref="MinimumLength"/>).</summary>
    public static bool IsTooShort(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length < MinimumLength;
    }

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

/// <summary>
/// Keeps each deployment's <see cref="SecretMasker"/>, refreshed every few seconds from the project's variables; the one
/// place maskers are built, for the build log and the runtime log alike. Values only ever join a deployment's set: a
/// container keeps the environment it was started with, so a variable deleted or changed later must stay masked in that
/// deployment's output.
/// </summary>
public sealed class SecretMaskerCache(ISecretValues secrets, TimeProvider timeProvider)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, Entry> _byDeployment = new();

    public async ValueTask<SecretMasker> GetAsync(long projectId, long deploymentId, CancellationToken ct = default)
    {
        var now = timeProvider.GetUtcNow();
        if (_byDeployment.TryGetValue(deploymentId, out var cached) && cached.Until > now)
        {
            return cached.Masker;
        }

        var values = new HashSet<string>(cached?.Values ?? [], StringComparer.Ordinal);
        values.UnionWith(await secrets.GetAsync(projectId, ct).ConfigureAwait(false));
        var masker = cached is not null && values.Count == cached.Values.Count ? cached.Masker : new SecretMasker(values);
        _byDeployment[deploymentId] = new Entry(values, masker, now + Lifetime);
        return masker;
    }

    /// <summary>
    /// The deployment's masker as last loaded by <see cref="GetAsync"/>, without refreshing (for writers that must not wait);
    /// <see cref="SecretMasker.None"/> when it was never loaded or was forgotten.
    /// </summary>
    public SecretMasker Current(long deploymentId) =>
        _byDeployment.TryGetValue(deploymentId, out var cached) ? cached.Masker : SecretMasker.None;

    /// <summary>Forgets a deployment (its container is gone, or it never got one).</summary>
    public void Forget(long deploymentId) => _byDeployment.TryRemove(deploymentId, out _);

    private sealed record Entry(HashSet<string> Values, SecretMasker Masker, DateTimeOffset Until);
}
