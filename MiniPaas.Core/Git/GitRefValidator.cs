using System.Diagnostics.CodeAnalysis;

namespace MiniPaas.Core.Git;

/// <summary>
/// Branch names by the rules of <c>git check-ref-format --branch</c> (checked for parity against real git in the tests),
/// plus a length limit, and commit SHAs.
/// </summary>
public static class GitRefValidator
{
    public const int MaxBranchLength = 255;

    /// <summary>Validates a branch name; the normalised name is the input trimmed.</summary>
    public static bool TryValidateBranch(string? input, [NotNullWhen(true)] out string? branch, [NotNullWhen(false)] out string? error)
    {
        branch = input?.Trim();
        error = CheckBranch(branch);
        if (error is not null)
        {
            branch = null;
            return false;
        }

        return branch is not null;
    }

    /// <summary>The reason <paramref name="branch"/> is not a valid branch name, or null when it is.</summary>
    public static string? CheckBranch(string? branch)
    {
        if (string.IsNullOrEmpty(branch))
        {
            return "Enter a branch name.";
        }

        if (branch.Length > MaxBranchLength)
        {
            return $"The branch name is longer than {MaxBranchLength} characters.";
        }

        if (branch[0] == '-')
        {
            return "A branch name cannot start with '-'.";
        }

        if (branch == "@")
        {
            return "'@' is not a valid branch name.";
        }

        if (branch == "HEAD")
        {
            return "'HEAD' is not a valid branch name.";
        }

        foreach (var c in branch)
        {
            if (c < 0x20 || c == 0x7F)
            {
                return "A branch name cannot contain control characters.";
            }

            if (c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\')
            {
                return $"A branch name cannot contain '{c}'.";
            }
        }

        if (branch.Contains("..", StringComparison.Ordinal))
        {
            return "A branch name cannot contain '..'.";
        }

        if (branch.Contains("@{", StringComparison.Ordinal))
        {
            return "A branch name cannot contain '@{'.";
        }

        if (branch[0] == '/' || branch[^1] == '/')
        {
            return "A branch name cannot start or end with '/'.";
        }

        if (branch.Contains("//", StringComparison.Ordinal))
        {
            return "A branch name cannot contain '//'.";
        }

        if (branch[^1] == '.')
        {
            return "A branch name cannot end with '.'.";
        }

        foreach (var component in branch.Split('/'))
        {
            if (component[0] == '.')
            {
                return "No part of a branch name (between '/') can start with '.'.";
            }

            if (component.EndsWith(".lock", StringComparison.Ordinal))
            {
                return "No part of a branch name (between '/') can end with '.lock'.";
            }
        }

        return null;
    }

    /// <summary>A full or abbreviated commit SHA: 4 to 64 hexadecimal digits (SHA-1 or SHA-256); normalised to lowercase.</summary>
    public static bool TryValidateCommitSha(string? input, [NotNullWhen(true)] out string? sha, [NotNullWhen(false)] out string? error)
    {
        sha = input?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(sha) || sha.Length < 4 || sha.Length > 64 || !sha.All(char.IsAsciiHexDigit))
        {
            sha = null;
            error = "A commit SHA is 4 to 64 hexadecimal characters (0-9, a-f).";
            return false;
        }

        error = null;
        return true;
    }
}
