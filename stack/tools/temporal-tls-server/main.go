// A single-process Temporal server (SQLite in memory, like `temporal server start-dev`) whose frontend
// listens with TLS and, with -client-ca, requires client certificates (mTLS). Orderflow's security tests
// start it on a free port; the configuration follows the CLI's dev server (temporalcli/devserver, MIT).
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/temporalio/cli/temporalcli/devserver"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

const localhost = "127.0.0.1"

func main() {
	port := flag.Int("port", 0, "frontend gRPC port (0: a free one)")
	namespaces := flag.String("namespaces", "default", "comma-separated namespaces to create")
	cert := flag.String("cert", "", "server certificate (PEM file)")
	key := flag.String("key", "", "server private key (PEM file)")
	clientCA := flag.String("client-ca", "", "CA that client certificates must chain to (mTLS); empty: TLS only")
	workerCert := flag.String("worker-cert", "", "client certificate of the server's own system worker (mTLS)")
	workerKey := flag.String("worker-key", "", "its key")
	serverCA := flag.String("server-ca", "", "CA of the server certificate (for the server's own clients)")
	serverName := flag.String("server-name", "localhost", "name in the server certificate")
	apiKey := flag.String("api-key", "", "stand-in for Temporal Cloud's API-key check: TypeScript SDK requests "+
		"must carry `authorization: Bearer <key>` and a `temporal-namespace` header, else UNAUTHENTICATED")
	flag.Parse()
	if *cert == "" || *key == "" {
		fmt.Fprintln(os.Stderr, "-cert and -key are required")
		os.Exit(64)
	}
	if *port == 0 {
		*port = devserver.MustGetFreePort(localhost)
	}
	free := func() int { return devserver.MustGetFreePort(localhost) }
	httpPort := free()

	var conf config.Config
	conf.Global.Membership.MaxJoinDuration = 30 * time.Second
	conf.Global.Membership.BroadcastAddress = localhost
	conf.Global.TLS = config.RootTLS{
		Frontend: config.GroupTLS{
			Server: config.ServerTLS{
				CertFile:          *cert,
				KeyFile:           *key,
				RequireClientAuth: *clientCA != "",
			},
			Client: config.ClientTLS{RootCAFiles: []string{*serverCA}, ServerName: *serverName},
		},
		SystemWorker: config.WorkerTLS{
			CertFile: *workerCert,
			KeyFile:  *workerKey,
			Client:   config.ClientTLS{RootCAFiles: []string{*serverCA}, ServerName: *serverName},
		},
	}
	if *clientCA != "" {
		conf.Global.TLS.Frontend.Server.ClientCAFiles = []string{*clientCA}
	}
	conf.Persistence.DefaultStore = "sqlite-default"
	conf.Persistence.VisibilityStore = "sqlite-default"
	conf.Persistence.NumHistoryShards = 1
	sqlConf := config.SQL{
		PluginName:        sqliteplugin.PluginName,
		ConnectAttributes: map[string]string{"mode": "memory", "cache": "shared"},
		DatabaseName:      strconv.Itoa(rand.Intn(9999999)),
	}
	conf.Persistence.DataStores = map[string]config.DataStore{"sqlite-default": {SQL: &sqlConf}}
	conf.ClusterMetadata = &cluster.Config{
		FailoverVersionIncrement: 10,
		MasterClusterName:        "active",
		CurrentClusterName:       "active",
		ClusterInformation: map[string]cluster.ClusterInformation{
			"active": {
				Enabled:                true,
				InitialFailoverVersion: 1,
				RPCAddress:             fmt.Sprintf("%v:%v", localhost, *port),
				HTTPAddress:            fmt.Sprintf("%v:%v", localhost, httpPort),
				ClusterID:              "orderflow-tls-test",
			},
		},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	service := func(grpcPort, http int) config.Service {
		var s config.Service
		s.RPC.GRPCPort = grpcPort
		s.RPC.BindOnIP = localhost
		s.RPC.HTTPPort = http
		return s
	}
	conf.Services = map[string]config.Service{
		"frontend": service(*port, httpPort),
		"history":  service(free(), 0),
		"matching": service(free(), 0),
		"worker":   service(free(), 0),
	}
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	conf.PublicClient.HostPort = fmt.Sprintf("%v:%v", localhost, *port)

	var nsConfigs []*sqliteschema.NamespaceConfig
	for _, ns := range strings.Split(*namespaces, ",") {
		nsConfig, err := sqliteschema.NewNamespaceConfig("active", ns, false, nil)
		if err != nil {
			fail(err)
		}
		nsConfigs = append(nsConfigs, nsConfig)
	}
	if err := sqliteschema.CreateNamespaces(&sqlConf, nsConfigs...); err != nil {
		fail(err)
	}

	logger := log.NewZapLogger(log.BuildZapLogger(log.Config{Level: "warn", Format: "json"}))
	hostsOf := func(name string) static.Hosts {
		return static.SingleLocalHost(fmt.Sprintf("%v:%v", localhost, conf.Services[name].RPC.GRPCPort))
	}
	server, err := temporal.NewServer(
		temporal.WithConfig(&conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(map[primitives.ServiceName]static.Hosts{
			primitives.FrontendService: hostsOf("frontend"),
			primitives.MatchingService: hostsOf("matching"),
			primitives.HistoryService:  hostsOf("history"),
			primitives.WorkerService:   hostsOf("worker"),
		}),
		temporal.WithLogger(logger),
		temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{
			dynamicconfig.HistoryCacheHostLevelMaxSize.Key(): 8096,
		}),
		temporal.WithChainedFrontendGrpcInterceptors(apiKeyCheck(*apiKey)),
	)
	if err != nil {
		fail(err)
	}
	if err := server.Start(); err != nil {
		fail(err)
	}
	// The test waits for this line.
	fmt.Printf("READY %v:%v\n", localhost, *port)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	<-signals
	server.Stop()
}

// apiKeyCheck stands in for Temporal Cloud's API-key authentication. Only requests of the TypeScript SDK
// (client-name temporal-typescript) are checked: the server's own system worker (the Go SDK) has no key.
func apiKeyCheck(key string) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if key == "" {
			return handler(ctx, req)
		}
		md, _ := metadata.FromIncomingContext(ctx)
		if first(md.Get("client-name")) != "temporal-typescript" {
			return handler(ctx, req)
		}
		if first(md.Get("authorization")) != "Bearer "+key {
			return nil, status.Error(codes.Unauthenticated, "Request unauthorized: invalid API key")
		}
		if first(md.Get("temporal-namespace")) == "" {
			return nil, status.Error(codes.Unauthenticated, "Request unauthorized: no temporal-namespace header")
		}
		return handler(ctx, req)
	}
}

func first(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "temporal-tls-server:", err)
	os.Exit(1)
}
