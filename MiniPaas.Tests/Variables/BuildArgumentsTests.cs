using MiniPaas.Core.Building;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Variables;
using Microsoft.Extensions.Options;

namespace MiniPaas.Tests.Variables;

public sealed class BuildArgumentsTests
{
    [Fact]
    public void DeclareIn_MultiStage_ArgAfterEveryFromNamesOnly()
    {
        const string dockerfile = "# syntax\nFROM node:20 AS build\nRUN npm run build\n\nfrom busybox\nCOPY --from=build /app /app\n";

        var declared = BuildArguments.DeclareIn(dockerfile, ["VITE_API", "BASE_PATH"]);

        var lines = declared.Split('\n');
        Assert.Equal(["FROM node:20 AS build", "ARG BASE_PATH", "ARG VITE_API", "RUN npm run build"], lines.Skip(1).Where(l => !l.StartsWith('#')).Take(4));
        Assert.Equal(2, lines.Count(l => l == "ARG VITE_API"));
        Assert.Equal(lines.ToList().IndexOf("from busybox") + 3, lines.ToList().LastIndexOf("ARG VITE_API"));
        Assert.EndsWith("COPY --from=build /app /app\n", declared, StringComparison.Ordinal);
    }

    [Fact]
    public void DeclareIn_NoNames_Unchanged() =>
        Assert.Equal("FROM x\nRUN y", BuildArguments.DeclareIn("FROM x\nRUN y", []));

    [Fact]
    public void DeclareIn_GeneratedNodeDockerfile_EveryStageDeclares()
    {
        var folder = Directory.CreateTempSubdirectory("minipaas-args-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "package.json"), """{ "scripts": { "build": "vite build", "start": "node server.js" } }""");
            var options = Options.Create(new BuilderOptions());
            var planner = new BuildPlanner(new StackDetector(), new DockerfileGenerator(new BaseImageCatalog(options)));
            var generated = planner.Plan(folder).GeneratedDockerfile!;

            var declared = BuildArguments.DeclareIn(generated, ["VITE_API"]).Split('\n');

            var froms = declared.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("FROM ", StringComparison.Ordinal)).Select(x => x.i).ToList();
            Assert.NotEmpty(froms);
            Assert.All(froms, i => Assert.Equal("ARG VITE_API", declared[i + 2]));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
