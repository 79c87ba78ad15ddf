using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Deploying;

namespace MiniPaas.Tests.Shared.Fakes;

/// <summary>
/// The app's real container runtime with a hook a test sets to run something at an exact point of an operation
/// (e.g. a reconcile pass while a deletion removes containers). Everything else goes straight to the real engine.
/// </summary>
public sealed class HookedContainerRuntime(IContainerRuntime inner) : IContainerRuntime
{
    private readonly OneShotHook _beforeRemove = new();
    private readonly OneShotHook _afterStop = new();

    /// <summary>Replaces the app's <see cref="IContainerRuntime"/> registration with this wrapper around it.</summary>
    public static void Register(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IContainerRuntime));
        services.AddSingleton(sp => new HookedContainerRuntime(original.ImplementationInstance as IContainerRuntime
            ?? (IContainerRuntime)(original.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!))));
        services.AddSingleton<IContainerRuntime>(sp => sp.GetRequiredService<HookedContainerRuntime>());
    }

    /// <summary>Runs <paramref name="hook"/> once, before the next removal of <paramref name="containerId"/> reaches the engine.</summary>
    public void BeforeNextRemoveOf(string containerId, Func<Task> hook) => _beforeRemove.Arm(containerId, hook);

    public async Task RemoveAsync(string containerId, CancellationToken ct = default)
    {
        await _beforeRemove.RunIfArmedForAsync(containerId);
        await inner.RemoveAsync(containerId, ct);
    }

    public Task<ContainerInfo> StartAsync(ContainerSpec spec, CancellationToken ct = default) => inner.StartAsync(spec, ct);

    /// <summary>Runs <paramref name="hook"/> once, right after the engine has stopped <paramref name="containerId"/>.</summary>
    public void AfterNextStopOf(string containerId, Func<Task> hook) => _afterStop.Arm(containerId, hook);

    public async Task StopAsync(string containerId, CancellationToken ct = default)
    {
        await inner.StopAsync(containerId, ct);
        await _afterStop.RunIfArmedForAsync(containerId);
    }

    public Task RestartAsync(string containerId, CancellationToken ct = default) => inner.RestartAsync(containerId, ct);

    public Task<IReadOnlyList<ContainerInfo>> ListManagedAsync(CancellationToken ct = default) => inner.ListManagedAsync(ct);

    public Task<ContainerInfo?> InspectAsync(string containerId, CancellationToken ct = default) => inner.InspectAsync(containerId, ct);

    public Task<IReadOnlyList<string>> TailLogsAsync(string containerId, int lines, CancellationToken ct = default) => inner.TailLogsAsync(containerId, lines, ct);

    public Task<bool> ImageExistsAsync(string image, CancellationToken ct = default) => inner.ImageExistsAsync(image, ct);

    public Task RemoveImageAsync(string image, CancellationToken ct = default) => inner.RemoveImageAsync(image, ct);

    /// <summary>A hook for one container that runs at most once, the first time that container's operation comes by.</summary>
    private sealed class OneShotHook
    {
        private Armed? _armed;

        public void Arm(string containerId, Func<Task> hook) => Volatile.Write(ref _armed, new Armed(containerId, hook));

        public async Task RunIfArmedForAsync(string containerId)
        {
            var armed = Volatile.Read(ref _armed);
            if (armed?.ContainerId == containerId && Interlocked.CompareExchange(ref _armed, null, armed) == armed)
            {
                await armed.Hook();
            }
        }

        private sealed record Armed(string ContainerId, Func<Task> Hook);
    }
}
