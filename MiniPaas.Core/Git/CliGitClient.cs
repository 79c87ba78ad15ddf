using System.Globalization;
using System.Text;
using CliWrap;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Logs;

namespace MiniPaas.Core.Git;

/// <summary>
/// <see cref="IGitClient"/> over the git command line through CliWrap: argument arrays only, never a shell;
/// every input validated before a process starts; credentials through <c>GIT_ASKPASS</c> and the child's environment only.
/// </summary>
/// <param name="scratchDirectory">Parent of the private askpass folders; null = the system temp folder.</param>
public sealed partial class CliGitClient(ILogger<CliGitClient> logger, string? scratchDirectory = null) : IGitClient
{
    private const int MaxCommitMessageLength = 500;
    private const int StderrTailLines = 15;

    /// <summary>The git executable; tests never change it, but a host may lack git on PATH.</summary>
    public string GitExecutable { get; init; } = "git";

    public async Task<CheckoutResult> CloneAsync(
        string sourceUrl,
        string branch,
        string? commitSha,
        string targetDirectory,
        GitCredentials? credentials,
        IProgress<string>? progress,
        CancellationToken ct = default)
    {
        var source = ParseSource(sourceUrl);
        var validBranch = ValidBranch(branch);
        string? sha = null;
        if (commitSha is not null && !GitRefValidator.TryValidateCommitSha(commitSha, out sha, out var shaError))
        {
            throw new GitException(GitFailure.InvalidInput, shaError);
        }

        ArgumentException.ThrowIfNullOrEmpty(targetDirectory);
        var target = Path.GetFullPath(targetDirectory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new GitException(GitFailure.InvalidInput, $"The folder '{target}' is not empty.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var redactor = new SecretRedactor(credentials);
        using var askPass = credentials is null ? null : AskPassScript.Create(scratchDirectory);
        var session = new Session(this, source, credentials, askPass, redactor, progress);

        LogCloning(logger, source.Value, validBranch, sha ?? "(branch head)");
        await WithinLimitsAsync(source, target, async token =>
        {
            var clone = await session.RunAsync(
                ["clone", "--depth", "1", "--single-branch", "--branch", validBranch, "--progress", "--", source.CloneUrl, target],
                workingDirectory: null,
                token).ConfigureAwait(false);
            if (clone.ExitCode != 0)
            {
                throw Fail(Describe(clone, source, validBranch, "clone"));
            }

            if (sha is not null)
            {
                try
                {
                    await CheckoutCommitAsync(session, target, source, validBranch, sha, token).ConfigureAwait(false);
                }
                catch (GitException ex)
                {
                    throw Fail(ex);
                }
            }

            return true;
        }, ct).ConfigureAwait(false);

        // Between two measurements git may have written more: the finished checkout is measured once more.
        if (CheckoutSize.Of(target) > MaxCloneBytes)
        {
            throw Fail(TooLarge(source));
        }

        var head = await session.RunAsync(["rev-parse", "HEAD"], target, ct, report: false).ConfigureAwait(false);
        var log = await session.RunAsync(["log", "-1", "--format=%B"], target, ct, report: false).ConfigureAwait(false);
        if (head.ExitCode != 0 || log.ExitCode != 0)
        {
            throw Describe(head.ExitCode != 0 ? head : log, source, validBranch, "read the commit of");
        }

        var message = string.Join('\n', log.Stdout).Trim();
        if (message.Length > MaxCommitMessageLength)
        {
            message = message[..MaxCommitMessageLength].TrimEnd() + "…";
        }

        var result = new CheckoutResult(head.Stdout.FirstOrDefault(l => l.Length > 0)?.Trim() ?? "", message);
        LogCloned(logger, source.Value, result.CommitSha);
        return result;
    }

    public async Task<string?> GetRemoteHeadAsync(string sourceUrl, string branch, GitCredentials? credentials, CancellationToken ct = default)
    {
        var source = ParseSource(sourceUrl);
        var validBranch = ValidBranch(branch);
        using var askPass = credentials is null ? null : AskPassScript.Create(scratchDirectory);
        var session = new Session(this, source, credentials, askPass, new SecretRedactor(credentials), progress: null);
        var result = await WithinLimitsAsync(
            source,
            checkout: null,
            token => session.RunAsync(["ls-remote", "--heads", "--", source.CloneUrl, "refs/heads/" + validBranch], workingDirectory: null, token, report: false),
            ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw Fail(Describe(result, source, validBranch, "list branches of"));
        }

        foreach (var line in result.Stdout)
        {
            var parts = line.Split('\t');
            if (parts.Length == 2 && parts[1] == "refs/heads/" + validBranch)
            {
                return parts[0].Trim();
            }
        }

        return null;
    }

    private static async Task CheckoutCommitAsync(Session session, string target, GitSource source, string branch, string sha, CancellationToken ct)
    {
        var head = await session.RunAsync(["rev-parse", "HEAD"], target, ct, report: false).ConfigureAwait(false);
        if (head.ExitCode == 0 && head.Stdout.Count > 0 && head.Stdout[0].StartsWith(sha, StringComparison.Ordinal))
        {
            return;
        }

        // Fetching one commit by SHA needs the server to allow it (protocol v2 does for reachable commits);
        // abbreviated SHAs cannot be fetched at all, so fall back to the branch's whole history.
        var fetched = await session.RunAsync(["fetch", "--depth", "1", "--progress", "origin", sha], target, ct).ConfigureAwait(false);
        if (fetched.ExitCode != 0)
        {
            var unshallow = await session.RunAsync(["fetch", "--unshallow", "--progress", "origin"], target, ct).ConfigureAwait(false);
            if (unshallow.ExitCode != 0)
            {
                throw Describe(unshallow, source, branch, "fetch history of");
            }
        }

        var checkout = await session.RunAsync(["checkout", "--detach", sha, "--"], target, ct).ConfigureAwait(false);
        if (checkout.ExitCode != 0)
        {
            throw new GitException(
                GitFailure.CommitNotFound,
                $"Commit '{sha}' was not found in {source.Value} (branch '{branch}').",
                Tail(checkout.Stderr),
                checkout.ExitCode);
        }
    }

    private static GitSource ParseSource(string sourceUrl) =>
        GitSource.TryParse(sourceUrl, out var source, out var error) ? source : throw new GitException(GitFailure.InvalidInput, error);

    private static string ValidBranch(string branch) =>
        GitRefValidator.TryValidateBranch(branch, out var valid, out var error) ? valid : throw new GitException(GitFailure.InvalidInput, error);

    private GitException Fail(GitException exception)
    {
        // The message holds the address (never credentials: those are refused inside URLs) and git's redacted reason.
        LogGitFailed(logger, exception.Failure, exception.Message);
        return exception;
    }

    private static GitException Describe(GitRun run, GitSource source, string branch, string verb)
    {
        var stderr = string.Join('\n', run.Stderr);
        var details = Tail(run.Stderr);
        var (failure, message) = stderr switch
        {
            _ when Has(stderr, "Remote branch") && Has(stderr, "not found") =>
                (GitFailure.BranchNotFound, $"Branch '{branch}' not found in {source.Value}."),
            _ when Has(stderr, "Could not resolve host") || Has(stderr, "Could not resolve hostname") || Has(stderr, "Connection refused")
                || Has(stderr, "Failed to connect") || Has(stderr, "Connection timed out") || Has(stderr, "Network is unreachable")
                || Has(stderr, "No route to host") || Has(stderr, "Couldn't connect to server") =>
                (GitFailure.HostUnreachable, $"Could not reach the host of {source.Value}."),
            _ when Has(stderr, "Repository not found") || Has(stderr, "Authentication failed") || Has(stderr, "could not read Username")
                || Has(stderr, "could not read Password") || Has(stderr, "Permission denied") || Has(stderr, "does not appear to be a git repository")
                || Has(stderr, "terminal prompts disabled") || Has(stderr, "access denied") || Has(stderr, "returned error: 403")
                || Has(stderr, "returned error: 404") || Has(stderr, "not found") =>
                (GitFailure.AccessDenied, $"Repository {source.Value} not found or access denied."),
            _ => (GitFailure.Other, $"Could not {verb} {source.Value} (git exited with code {run.ExitCode})."),
        };
        return new GitException(failure, message, details, run.ExitCode);
    }

    private static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);

    private static string? Tail(IReadOnlyList<string> lines) =>
        lines.Count == 0 ? null : string.Join('\n', lines.Skip(Math.Max(0, lines.Count - StderrTailLines)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Cloning {Source} branch {Branch} at {Commit}")]
    private static partial void LogCloning(ILogger logger, string source, string branch, string commit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "git failed ({Failure}): {Reason}")]
    private static partial void LogGitFailed(ILogger logger, GitFailure failure, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cloned {Source} at {CommitSha}")]
    private static partial void LogCloned(ILogger logger, string source, string commitSha);

    private sealed record GitRun(int ExitCode, IReadOnlyList<string> Stdout, IReadOnlyList<string> Stderr);

    /// <summary>The environment and output handling shared by the git calls of one operation.</summary>
    private sealed class Session(
        CliGitClient owner,
        GitSource source,
        GitCredentials? credentials,
        AskPassScript? askPass,
        SecretRedactor redactor,
        IProgress<string>? progress)
    {
        // Lines kept per stream for parsing and failure messages; the build log gets every line (under its own caps).
        private const int MaxCapturedLines = 500;

        // Characters kept of one line of git's output (its own lines are far shorter; a server's message may not be). Below the
        // build log's 16 KB cut, so the marker added here survives that cut.
        private const int MaxLineLength = 8 * 1024;

        // Serialises reports from the stdout and stderr readers so IProgress sees whole lines one at a time.
        private readonly Lock _reportLock = new();

        public async Task<GitRun> RunAsync(string[] arguments, string? workingDirectory, CancellationToken ct, bool report = true)
        {
            var stdout = new CapturedLines(MaxCapturedLines, keepLast: false);
            var stderr = new CapturedLines(MaxCapturedLines, keepLast: true);
            string[] hardening =
            [
                // ext:: and fd:: run commands; a repository's config or a redirect must not enable them.
                "-c", "protocol.ext.allow=never",
                "-c", "protocol.fd.allow=never",
                // An empty helper clears helpers from global config, so only our askpass answers.
                "-c", "credential.helper=",
                "-c", "core.askPass=",
            ];
            var command = Cli.Wrap(owner.GitExecutable)
                .WithArguments([.. hardening, .. arguments])
                .WithEnvironmentVariables(Environment())
                .WithValidation(CommandResultValidation.None)
                .WithStandardOutputPipe(PipeTarget.Create((stream, token) => ReadLinesAsync(stream, stdout, report, token)))
                .WithStandardErrorPipe(PipeTarget.Create((stream, token) => ReadLinesAsync(stream, stderr, report, token)));
            if (workingDirectory is not null)
            {
                command = command.WithWorkingDirectory(workingDirectory);
            }

            var result = await command.ExecuteAsync(ct).ConfigureAwait(false);
            return new GitRun(result.ExitCode, stdout, stderr);
        }

        private Dictionary<string, string?> Environment()
        {
            var protocols = source.Kind == GitSourceKind.Http ? "https:http:ssh:git:file" : "https:ssh:git:file";
            var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["GIT_TERMINAL_PROMPT"] = "0",
                ["GIT_CONFIG_NOSYSTEM"] = "1",
                ["GIT_ALLOW_PROTOCOL"] = protocols,
                ["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new",
                // English messages so failures can be recognised and explained.
                ["LC_ALL"] = "C",
                ["LANGUAGE"] = null,
                ["SSH_ASKPASS"] = null,
                [AskPassScript.UsernameVariable] = null,
                [AskPassScript.PasswordVariable] = null,
            };
            if (askPass is not null && credentials is not null)
            {
                environment["GIT_ASKPASS"] = askPass.FilePath;
                environment[AskPassScript.UsernameVariable] = credentials.Username;
                environment[AskPassScript.PasswordVariable] = credentials.Password;
            }
            else
            {
                environment["GIT_ASKPASS"] = null;
            }

            return environment;
        }

        /// <summary>
        /// Splits on both '\r' and '\n' (git redraws progress with '\r'), holding at most one capped line: a server's
        /// "remote:" messages are the repository host's to choose.
        /// </summary>
        private async Task ReadLinesAsync(Stream stream, CapturedLines lines, bool report, CancellationToken ct)
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[4096];
            var assembler = new BoundedLineAssembler(MaxLineLength, (line, cut) => Emit(line, cut, lines, report), splitOnCarriageReturn: true);
            int read;
            while ((read = await reader.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                assembler.Append(buffer.AsSpan(0, read));
            }

            assembler.Flush();
        }

        private void Emit(string line, long cut, CapturedLines lines, bool report)
        {
            var text = redactor.Redact(cut > 0 ? string.Create(CultureInfo.InvariantCulture, $"{line} … [line cut: {cut:N0} more characters]") : line);
            lock (_reportLock)
            {
                // Blank lines matter in captured output (commit messages), not in progress.
                lines.Add(text);
                if (report && text.Length > 0)
                {
                    progress?.Report(text);
                }
            }
        }
    }
}
