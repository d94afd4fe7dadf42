package bot.resonance.platform;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Background jobs (pruning, deferred work) run on Spring's scheduler. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class PlatformConfiguration {

}
