using Microsoft.AspNetCore.Components;
using MiniPaas.Core.Logs;
using MiniPaas.Web.Components.Logs;

namespace MiniPaas.Web.Components.Deployments;

/// <summary>A deployment's build log, history then live, in the shared <see cref="LogViewer"/>.</summary>
public sealed partial class BuildLogView(BuildLogRecorder recorder)
{
    private readonly BuildLogViewSource _source = new(recorder);

    /// <summary>The deployment whose log is shown. Required.</summary>
    [Parameter, EditorRequired]
    public long DeploymentId { get; set; }
}
