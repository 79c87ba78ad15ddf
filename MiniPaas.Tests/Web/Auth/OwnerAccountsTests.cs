using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniPaas.Core.Owner;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Web.Auth;

/// <summary>The owner account against real PostgreSQL, with time driven by a fake clock.</summary>
public sealed class OwnerAccountsTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private IDbContextFactory<MiniPaasDbContext> _contexts = null!;
    private OwnerAccounts _owner = null!;

    public async Task InitializeAsync()
    {
        _contexts = await (await PostgresFixture.GetAsync()).CreateMigratedContextFactoryAsync("owner");
        _owner = new OwnerAccounts(_contexts, _time, Options.Create(new OwnerOptions()));
    }

    public Task DisposeAsync()
    {
        _owner.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task CompleteSetupAsync_ValidToken_SetsPasswordUsesTokenUp()
    {
        var token = await _owner.IssueSetupTokenAsync(clearPassword: false);

        var first = await _owner.CompleteSetupAsync(token, Password);
        var again = await _owner.CompleteSetupAsync(token, "another long password");

        Assert.True(first.Succeeded, first.Error);
        Assert.False(again.Succeeded);
        Assert.Equal(OwnerSignInStatus.Succeeded, (await _owner.SignInAsync(Password)).Status);
        Assert.Equal(OwnerSignInStatus.WrongPassword, (await _owner.SignInAsync("another long password")).Status);
    }

    [Fact]
    public async Task CompleteSetupAsync_TokenPastLifetime_Refused()
    {
        var token = await _owner.IssueSetupTokenAsync(clearPassword: false);
        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.True(await _owner.IsSetupTokenValidAsync(token));

        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.False(await _owner.IsSetupTokenValidAsync(token));
        Assert.False((await _owner.CompleteSetupAsync(token, Password)).Succeeded);
        Assert.False((await _owner.GetStateAsync()).HasPassword);
    }

    [Fact]
    public async Task IssueSetupTokenAsync_NewToken_PreviousStopsWorking()
    {
        var old = await _owner.IssueSetupTokenAsync(clearPassword: false);
        var current = await _owner.IssueSetupTokenAsync(clearPassword: false);

        Assert.False(await _owner.IsSetupTokenValidAsync(old));
        Assert.False(await _owner.IsSetupTokenValidAsync(old[..^1] + (old[^1] == 'A' ? 'B' : 'A')));
        Assert.True(await _owner.IsSetupTokenValidAsync(current));
    }

    [Fact]
    public async Task CompleteSetupAsync_ShortPassword_RefusedTokenKept()
    {
        var token = await _owner.IssueSetupTokenAsync(clearPassword: false);

        var result = await _owner.CompleteSetupAsync(token, "short");

        Assert.False(result.Succeeded);
        Assert.Contains("12 characters", result.Error, StringComparison.Ordinal);
        Assert.True(await _owner.IsSetupTokenValidAsync(token));
    }

    [Fact]
    public async Task SignInAsync_FiveWrongPasswords_LockedEvenForRightOneUntilLockoutEnds()
    {
        await SetUpAsync();
        for (var i = 1; i < 5; i++)
        {
            Assert.Equal(OwnerSignInStatus.WrongPassword, (await _owner.SignInAsync("wrong password " + i)).Status);
        }

        var fifth = await _owner.SignInAsync("wrong password 5");
        var rightWhileLocked = await _owner.SignInAsync(Password);
        Assert.Equal(OwnerSignInStatus.LockedOut, fifth.Status);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(15), fifth.LockedUntil);
        Assert.Equal(OwnerSignInStatus.LockedOut, rightWhileLocked.Status);

        _time.Advance(TimeSpan.FromMinutes(15));
        var rightAfter = await _owner.SignInAsync(Password);

        Assert.Equal(OwnerSignInStatus.Succeeded, rightAfter.Status);
    }

    [Fact]
    public async Task SignInAsync_SuccessInBetween_ResetsFailureCount()
    {
        await SetUpAsync();
        for (var i = 0; i < 4; i++)
        {
            await _owner.SignInAsync("wrong");
        }

        Assert.Equal(OwnerSignInStatus.Succeeded, (await _owner.SignInAsync(Password)).Status);
        Assert.Equal(OwnerSignInStatus.WrongPassword, (await _owner.SignInAsync("wrong")).Status);
    }

    [Fact]
    public async Task IssueSetupTokenAsync_Reset_ClearsPasswordAndEndsSessions()
    {
        var version = await SetUpAsync();

        var token = await _owner.IssueSetupTokenAsync(clearPassword: true);

        var state = await _owner.GetStateAsync();
        Assert.False(state.HasPassword);
        Assert.NotEqual(version, state.SessionVersion);
        Assert.Equal(OwnerSignInStatus.NotSetUp, (await _owner.SignInAsync(Password)).Status);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(30), await _owner.GetPendingResetExpiryAsync());
        Assert.True((await _owner.CompleteSetupAsync(token, "a brand new password")).Succeeded);
        Assert.Null(await _owner.GetPendingResetExpiryAsync());
    }

    [Fact]
    public async Task Database_AfterSetup_HoldsOnlyHashes()
    {
        var token = await _owner.IssueSetupTokenAsync(clearPassword: false);
        await using (var db = await _contexts.CreateDbContextAsync())
        {
            var pending = await db.OwnerAccounts.AsNoTracking().SingleAsync();
            Assert.DoesNotContain(token, pending.SetupTokenHash, StringComparison.Ordinal);
            Assert.Equal(64, pending.SetupTokenHash!.Length);
        }

        await _owner.CompleteSetupAsync(token, Password);

        await using (var db = await _contexts.CreateDbContextAsync())
        {
            var row = await db.OwnerAccounts.AsNoTracking().SingleAsync();
            Assert.DoesNotContain(Password, row.PasswordHash, StringComparison.Ordinal);
            Assert.Null(row.SetupTokenHash);
        }
    }

    [Fact]
    public void Validate_BadValues_ReportsEveryProblem()
    {
        var result = new OwnerOptionsValidator().Validate(null, new OwnerOptions
        {
            SetupTokenLifetime = TimeSpan.Zero,
            MaxFailedSignIns = 0,
            SignInAttemptsPerMinute = 0,
            MinPasswordLength = 4,
            PublicUrl = "ftp://x",
        });

        Assert.True(result.Failed);
        Assert.Equal(5, result.Failures!.Count());
    }

    private async Task<int> SetUpAsync()
    {
        var token = await _owner.IssueSetupTokenAsync(clearPassword: false);
        var result = await _owner.CompleteSetupAsync(token, Password);
        Assert.True(result.Succeeded, result.Error);
        return result.SessionVersion;
    }
}
