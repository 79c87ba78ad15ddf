# MiniPaas itself. Build: docker build -t minipaas .   Run: see compose.yaml (needs PostgreSQL and the Docker socket).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the layer is reused while only code changes.
COPY Directory.Build.props Directory.Packages.props .editorconfig MiniPaas.sln ./
COPY MiniPaas.Core/MiniPaas.Core.csproj MiniPaas.Core/
COPY MiniPaas.Web/MiniPaas.Web.csproj MiniPaas.Web/
RUN dotnet restore MiniPaas.Web/MiniPaas.Web.csproj
COPY MiniPaas.Core/ MiniPaas.Core/
COPY MiniPaas.Web/ MiniPaas.Web/
RUN dotnet publish MiniPaas.Web/MiniPaas.Web.csproj -c Release -o /app --no-restore /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
# git clones repositories to build; ca-certificates for HTTPS remotes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://+:3000 \
    MiniPaas__DataDirectory=/data \
    MiniPaas__Ingress__Port=80
VOLUME /data
# 3000: dashboard; 80: apps at http://<name>.localhost
EXPOSE 3000 80
ENTRYPOINT ["dotnet", "MiniPaas.Web.dll"]
