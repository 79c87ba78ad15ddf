namespace MiniPaas.Core.Projects;

/// <summary>Told about each project once it is saved (e.g. to scan its repository). Must return at once: slow work belongs in the background.</summary>
public interface IProjectCreationObserver
{
    void ProjectCreated(long projectId);
}
