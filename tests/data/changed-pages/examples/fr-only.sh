echo fr
