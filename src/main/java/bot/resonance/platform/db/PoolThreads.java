package bot.resonance.platform.db;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The connection pool's own threads (housekeeping, opening and closing connections)
 * belong to the application, not to the embedded web server. The pool starts while the
 * web server starts (the first migration needs a connection), and a thread inherits the
 * context class loader of the thread that makes it: the pool's threads took the web
 * application's, and when the server stopped a moment before the last of them had ended,
 * Tomcat warned of a thread the web application failed to stop.
 */
@Configuration(proxyBeanMethods = false)
class PoolThreads {

	/**
	 * Gives a pool, once its settings are bound and before it starts, a thread factory.
	 */
	@Bean
	static BeanPostProcessor poolThreadFactory() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof HikariDataSource pool && pool.getThreadFactory() == null) {
					pool.setThreadFactory(factory(pool.getPoolName()));
				}
				return bean;
			}

		};
	}

	static ThreadFactory factory(String poolName) {
		ClassLoader application = PoolThreads.class.getClassLoader();
		AtomicInteger count = new AtomicInteger();
		String prefix = ((poolName != null) ? poolName : "pool") + ":worker-";
		return (task) -> {
			Thread thread = new Thread(task, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			thread.setContextClassLoader(application);
			return thread;
		};
	}

}
