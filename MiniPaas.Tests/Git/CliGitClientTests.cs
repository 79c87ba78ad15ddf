using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using MiniPaas.Core.Git;

namespace MiniPaas.Tests.Git;

public sealed class CliGitClientTests : IClassFixture<LocalGitRepository>
{
    private readonly LocalGitRepository _repo;
    private readonly CliGitClient _client = new(NullLogger<CliGitClient>.Instance);

    public CliGitClientTests(LocalGitRepository repo) => _repo = repo;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CloneAsync_LocalRepository_ShallowCloneOfBranchHeadWithShaAndMessage(bool asFileUrl)
    {
        var source = asFileUrl ? new Uri(_repo.RepoPath).AbsoluteUri : _repo.RepoPath;
        var target = _repo.NewCloneTarget();
        var progress = new RecordingProgress();

        var result = await _client.CloneAsync(source, "main", null, target, null, progress);

        Assert.Equal(_repo.SecondSha, result.CommitSha);
        Assert.Equal(LocalGitRepository.SecondMessage, result.CommitMessage);
        Assert.Equal("1", await LocalGitRepository.RunGitAsync(target, "rev-list", "--count", "HEAD"));
        Assert.Equal("main", await LocalGitRepository.RunGitAsync(target, "rev-parse", "--abbrev-ref", "HEAD"));
        Assert.Equal("second\n", await File.ReadAllTextAsync(Path.Combine(target, "README.md")));
        Assert.Contains(progress.Lines, l => l.StartsWith("Cloning into", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CloneAsync_OtherBranch_ChecksOutThatBranch()
    {
        var target = _repo.NewCloneTarget();

        var result = await _client.CloneAsync(_repo.RepoPath, "feature/x", null, target, null, null);

        Assert.Equal(_repo.FeatureSha, result.CommitSha);
        Assert.Equal("Feature work", result.CommitMessage);
        Assert.True(File.Exists(Path.Combine(target, "feature.txt")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CloneAsync_OlderCommit_DetachedAtThatCommit(bool abbreviated)
    {
        var target = _repo.NewCloneTarget();
        var sha = abbreviated ? _repo.FirstSha[..10] : _repo.FirstSha;

        var result = await _client.CloneAsync(_repo.RepoPath, "main", sha, target, null, new RecordingProgress());

        Assert.Equal(_repo.FirstSha, result.CommitSha);
        Assert.Equal("First commit", result.CommitMessage);
        Assert.Equal("first\n", await File.ReadAllTextAsync(Path.Combine(target, "README.md")));
    }

    [Fact]
    public async Task CloneAsync_UnknownCommit_CommitNotFound()
    {
        var ex = await Assert.ThrowsAsync<GitException>(
            () => _client.CloneAsync(_repo.RepoPath, "main", new string('e', 40), _repo.NewCloneTarget(), null, null));
        Assert.Equal(GitFailure.CommitNotFound, ex.Failure);
        Assert.Contains("eeeeeeee", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloneAsync_MissingBranch_ClearBranchNotFoundMessage()
    {
        var ex = await Assert.ThrowsAsync<GitException>(
            () => _client.CloneAsync(_repo.RepoPath, "nope", null, _repo.NewCloneTarget(), null, null));

        Assert.Equal(GitFailure.BranchNotFound, ex.Failure);
        Assert.Equal($"Branch 'nope' not found in {_repo.RepoPath}.", ex.Message);
        Assert.Contains("nope", ex.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloneAsync_MissingRepository_NotFoundOrAccessDenied()
    {
        var ex = await Assert.ThrowsAsync<GitException>(
            () => _client.CloneAsync("file:///nonexistent/minipaas-repo.git", "main", null, _repo.NewCloneTarget(), null, null));
        Assert.Equal(GitFailure.AccessDenied, ex.Failure);
        Assert.Contains("not found or access denied", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--upload-pack=touch {0}", "main")]
    [InlineData("ext::sh -c touch% {0}", "main")]
    [InlineData("ext::touch%{0}", "main")]
    [InlineData("{1}", "main;touch {0}")]
    [InlineData("{1}", "-x")]
    [InlineData("{1}", "--upload-pack=touch {0}")]
    public async Task CloneAsync_HostileInput_RefusedBeforeAnyProcessStarts(string sourceTemplate, string branchTemplate)
    {
        var marker = Path.Combine(_repo.Root, "marker-" + Guid.NewGuid().ToString("N"));
        // A git that cannot start: if validation let the input through, the failure would be a process error, not GitException.
        var client = new CliGitClient(NullLogger<CliGitClient>.Instance) { GitExecutable = "/nonexistent/git" };
        var source = string.Format(System.Globalization.CultureInfo.InvariantCulture, sourceTemplate, marker, _repo.RepoPath);
        var branch = string.Format(System.Globalization.CultureInfo.InvariantCulture, branchTemplate, marker);

        var ex = await Assert.ThrowsAsync<GitException>(() => client.CloneAsync(source, branch, null, _repo.NewCloneTarget(), null, null));
        var remote = await Assert.ThrowsAsync<GitException>(() => client.GetRemoteHeadAsync(source, branch, null));

        Assert.Equal(GitFailure.InvalidInput, ex.Failure);
        Assert.Equal(GitFailure.InvalidInput, remote.Failure);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task CloneAsync_NonEmptyTarget_Refused()
    {
        var target = _repo.NewCloneTarget();
        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "x"), "x");
        var ex = await Assert.ThrowsAsync<GitException>(() => _client.CloneAsync(_repo.RepoPath, "main", null, target, null, null));
        Assert.Contains("not empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloneAsync_Cancelled_StopsAndThrows()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _client.CloneAsync(_repo.RepoPath, "main", null, _repo.NewCloneTarget(), null, null, cts.Token));
    }

    [Fact]
    public async Task CloneAsync_CancelledWhileServerHangs_ReturnsPromptly()
    {
        using var listener = StartListener(out var port);
        var hung = listener.GetContextAsync();
        using var cts = new CancellationTokenSource();
        var progress = new RecordingProgress();
        var started = System.Diagnostics.Stopwatch.StartNew();

        var clone = _client.CloneAsync($"http://127.0.0.1:{port}/repo.git", "main", null, _repo.NewCloneTarget(), null, progress, cts.Token);
        await hung.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => clone);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
        Assert.Contains(progress.Lines, l => l.StartsWith("Cloning into", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetRemoteHeadAsync_Branches_ReturnsShaOrNull()
    {
        Assert.Equal(_repo.SecondSha, await _client.GetRemoteHeadAsync(_repo.RepoPath, "main", null));
        Assert.Equal(_repo.FeatureSha, await _client.GetRemoteHeadAsync(new Uri(_repo.RepoPath).AbsoluteUri, "feature/x", null));
        Assert.Null(await _client.GetRemoteHeadAsync(_repo.RepoPath, "nope", null));
    }

    [Fact]
    public async Task CloneAsync_ServerAsksForCredentials_AnsweredThroughAskPassWithoutLeakingThem()
    {
        const string username = "deploy-bot";
        const string password = "s3cr3t-T0KEN/with+chars";
        var scratch = Directory.CreateTempSubdirectory("minipaas-scratch-").FullName;
        var client = new CliGitClient(NullLogger<CliGitClient>.Instance, scratch);
        using var listener = StartListener(out var port);
        var authorizations = new List<string>();
        var scriptsSeen = new List<string>();
        var server = Task.Run(async () =>
        {
            // Two rounds: the anonymous request, then the one carrying what askpass answered; both refused.
            for (var i = 0; i < 2; i++)
            {
                var context = await listener.GetContextAsync();
                authorizations.Add(context.Request.Headers["Authorization"] ?? "");
                scriptsSeen.AddRange(Directory.EnumerateFiles(scratch, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
                context.Response.StatusCode = 401;
                context.Response.AddHeader("WWW-Authenticate", "Basic realm=\"minipaas-test\"");
                context.Response.Close();
            }
        });
        var progress = new RecordingProgress();
        var url = $"http://127.0.0.1:{port}/owner/repo.git";

        var ex = await Assert.ThrowsAsync<GitException>(
            () => client.CloneAsync(url, "main", null, Path.Combine(scratch, "clone"), new GitCredentials(username, password), progress));
        await server.WaitAsync(TimeSpan.FromSeconds(30));

        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        Assert.Contains(basic, authorizations);
        Assert.Equal(GitFailure.AccessDenied, ex.Failure);
        Assert.NotEmpty(scriptsSeen);
        Assert.All(scriptsSeen, script => Assert.DoesNotContain(password, script, StringComparison.Ordinal));
        AssertNoSecret(password, ex, progress);
        Assert.Empty(Directory.EnumerateFiles(scratch, "askpass*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateDirectories(scratch, "askpass-*"));
        Directory.Delete(scratch, recursive: true);
    }

    [Fact]
    public async Task CloneAsync_HttpsToClosedPortWithCredentials_HostUnreachableAndNoSecretAnywhere()
    {
        const string password = "hunter2-very-secret";
        var scratch = Directory.CreateTempSubdirectory("minipaas-scratch-").FullName;
        var client = new CliGitClient(NullLogger<CliGitClient>.Instance, scratch);
        var progress = new RecordingProgress();
        var url = $"https://127.0.0.1:{ClosedPort()}/owner/repo.git";

        var ex = await Assert.ThrowsAsync<GitException>(
            () => client.CloneAsync(url, "main", null, Path.Combine(scratch, "clone"), new GitCredentials("me", password), progress));

        Assert.Equal(GitFailure.HostUnreachable, ex.Failure);
        Assert.Contains("Could not reach", ex.Message, StringComparison.Ordinal);
        AssertNoSecret(password, ex, progress);
        Assert.Empty(Directory.EnumerateDirectories(scratch, "askpass-*"));
        Directory.Delete(scratch, recursive: true);
    }

    private static void AssertNoSecret(string password, GitException ex, RecordingProgress progress)
    {
        Assert.DoesNotContain(password, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, ex.Details ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(password, ex.ToString(), StringComparison.Ordinal);
        Assert.All(progress.Lines, line => Assert.DoesNotContain(password, line, StringComparison.Ordinal));
    }

    private static HttpListener StartListener(out int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            port = ClosedPort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return listener;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private static int ClosedPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }
}
