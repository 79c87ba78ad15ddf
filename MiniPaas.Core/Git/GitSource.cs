using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.RegularExpressions;

namespace MiniPaas.Core.Git;

/// <summary>How a repository is reached.</summary>
public enum GitSourceKind
{
    Https,
    /// <summary>Plain http, accepted only for loopback hosts (a local git server in development or tests).</summary>
    Http,
    Ssh,
    Git,
    /// <summary><c>user@host:owner/repo.git</c>.</summary>
    ScpLike,
    File,
    /// <summary>An absolute path to a local git repository.</summary>
    LocalPath,
}

/// <summary>A repository address that passed <see cref="GitSource.TryParse"/>; safe to hand to git as a positional argument.</summary>
public sealed partial record GitSource
{
    private const int MaxLength = 2048;

    private GitSource(string value, GitSourceKind kind)
    {
        Value = value;
        Kind = kind;
    }

    /// <summary>The normalised address as the user gave it (trimmed; local paths made absolute).</summary>
    public string Value { get; }

    public GitSourceKind Kind { get; }

    /// <summary>
    /// What to pass to git. Local folders become <c>file://</c> URLs because git ignores <c>--depth</c> for plain paths.
    /// </summary>
    public string CloneUrl => Kind == GitSourceKind.LocalPath ? new Uri(Value).AbsoluteUri : Value;

    public override string ToString() => Value;

    /// <summary>Parses and throws <see cref="ArgumentException"/> with a readable message when refused.</summary>
    public static GitSource Parse(string? input) =>
        TryParse(input, out var source, out var error) ? source : throw new ArgumentException(error, nameof(input));

    /// <summary>
    /// Accepts https://, ssh://, git://, file://, scp-like <c>user@host:path</c>, http:// to loopback hosts only,
    /// and absolute paths of existing git repositories. Refuses option-like input, remote-helper syntax
    /// (<c>ext::</c>, <c>fd::</c>, …), whitespace/control characters and credentials inside the URL.
    /// </summary>
    public static bool TryParse(string? input, [NotNullWhen(true)] out GitSource? source, [NotNullWhen(false)] out string? error)
    {
        source = null;
        error = Check(input?.Trim(), out var kind, out var normalised);
        if (error is not null)
        {
            return false;
        }

        source = new GitSource(normalised!, kind);
        return true;
    }

    private static string? Check(string? value, out GitSourceKind kind, out string? normalised)
    {
        kind = default;
        normalised = value;
        if (string.IsNullOrEmpty(value))
        {
            return "Enter a repository URL or a local folder path.";
        }

        if (value.Length > MaxLength)
        {
            return $"The repository address is longer than {MaxLength} characters.";
        }

        // Anything git could read as an option (--upload-pack=…, -u …) must never reach its command line.
        if (value[0] == '-')
        {
            return "The repository address must not start with '-'.";
        }

        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "The repository address must not contain spaces or control characters.";
        }

        // <transport>::<address> runs a git-remote-<transport> helper; ext:: runs arbitrary commands.
        if (RemoteHelperPattern().IsMatch(value))
        {
            return "Remote-helper addresses (like 'ext::…') are not allowed. Use https://, ssh://, git://, git@host:owner/repo or a local folder path.";
        }

        if (value[0] == '/')
        {
            kind = GitSourceKind.LocalPath;
            return CheckLocalPath(value, out normalised);
        }

        var scheme = SchemePattern().Match(value);
        if (scheme.Success)
        {
            return CheckUrl(value, scheme.Groups[1].Value.ToLowerInvariant(), out kind);
        }

        // ssh would read a host starting with '-' as an option (-oProxyCommand=…).
        var at = value.IndexOf('@', StringComparison.Ordinal);
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (at >= 0 && (colon < 0 || at < colon) && at + 1 < value.Length && value[at + 1] == '-')
        {
            return "The host of the repository address must not start with '-'.";
        }

        var scp = ScpLikePattern().Match(value);
        if (scp.Success)
        {
            kind = GitSourceKind.ScpLike;
            var lastAt = value.LastIndexOf('@');
            if (lastAt > 0 && value.AsSpan(0, lastAt).Contains(':'))
            {
                return "Do not put credentials in the repository address; enter them in the project's Git credentials setting instead.";
            }

            if (scp.Groups["host"].Value[0] == '-' || scp.Groups["path"].Value[0] == '-')
            {
                return "The host and path of the repository address must not start with '-'.";
            }

            return null;
        }

        return "Not a supported repository address. Use https://, ssh://, git://, git@host:owner/repo, file:// or an absolute local folder path.";
    }

    private static string? CheckUrl(string value, string scheme, out GitSourceKind kind)
    {
        kind = default;
        switch (scheme)
        {
            case "https": kind = GitSourceKind.Https; break;
            case "http": kind = GitSourceKind.Http; break;
            case "ssh": kind = GitSourceKind.Ssh; break;
            case "git": kind = GitSourceKind.Git; break;
            case "file": kind = GitSourceKind.File; break;
            default:
                return $"Unsupported scheme '{scheme}://'. Use https://, ssh://, git://, git@host:owner/repo, file:// or a local folder path.";
        }

        // Checked on the raw text because Uri may refuse or rewrite such a host before we could look at it.
        var authority = value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var slash = authority.IndexOf('/', StringComparison.Ordinal);
        authority = slash >= 0 ? authority[..slash] : authority;
        var hostStart = authority.LastIndexOf('@') + 1;
        if (authority.Length > 0 && (authority[0] == '-' || (hostStart < authority.Length && authority[hostStart] == '-')))
        {
            return "The host and user of the repository URL must not start with '-'.";
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return "The repository URL is not well formed.";
        }

        if (kind == GitSourceKind.File)
        {
            if (!string.IsNullOrEmpty(uri.Host) && !uri.IsLoopback)
            {
                return "file:// URLs must point at this machine (file:///path/to/repo).";
            }

            return uri.AbsolutePath.Length > 1 ? null : "The file:// URL has no path.";
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return "The repository URL has no host.";
        }

        if (uri.Host[0] == '-')
        {
            return "The host of the repository URL must not start with '-'.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            // ssh://git@host/… names the ssh login, which is not a secret; a password or token in any URL is.
            var hasSecret = kind != GitSourceKind.Ssh || uri.UserInfo.Contains(':', StringComparison.Ordinal);
            if (hasSecret)
            {
                return "Do not put credentials in the repository URL; enter them in the project's Git credentials setting instead.";
            }

            if (uri.UserInfo[0] == '-')
            {
                return "The user name in the repository URL must not start with '-'.";
            }
        }

        if (kind == GitSourceKind.Http && !IsLoopbackHost(uri))
        {
            return "Plain http:// is only allowed for this machine (localhost/127.0.0.1); use https:// for remote repositories.";
        }

        return uri.AbsolutePath.Length > 1 ? null : "The repository URL has no path (expected host/owner/repo).";
    }

    private static bool IsLoopbackHost(Uri uri) =>
        uri.IsLoopback
        || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static string? CheckLocalPath(string value, out string? normalised)
    {
        normalised = Path.TrimEndingDirectorySeparator(Path.GetFullPath(value));
        if (!Directory.Exists(normalised))
        {
            return $"The folder '{normalised}' does not exist.";
        }

        // A plain folder is refused rather than snapshotted: a deployment must name a commit, and only git has one.
        return IsGitRepository(normalised) ? null : $"The folder '{normalised}' is not a git repository (run 'git init' and commit first).";
    }

    private static bool IsGitRepository(string folder) =>
        Directory.Exists(Path.Combine(folder, ".git"))
        || File.Exists(Path.Combine(folder, ".git"))
        || (File.Exists(Path.Combine(folder, "HEAD")) && Directory.Exists(Path.Combine(folder, "objects")) && Directory.Exists(Path.Combine(folder, "refs")));

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*::")]
    private static partial Regex RemoteHelperPattern();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]*)://")]
    private static partial Regex SchemePattern();

    // git treats "a colon before any slash" as scp-like syntax.
    [GeneratedRegex(@"^(?:(?<user>[A-Za-z0-9._\-]+)@)?(?<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\]):(?<path>.+)$")]
    private static partial Regex ScpLikePattern();
}
